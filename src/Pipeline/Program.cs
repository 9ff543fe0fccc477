using System.Runtime.InteropServices;
using SalesIntel.Pipeline.Cli;
using SalesIntel.Pipeline.Hosting;

// The salesintel CLI: `score` runs the job, `fixtures generate` writes test data. Exit codes: see ExitCodes.
using var stop = new StopSignal();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Request();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    // Cloud Run sends SIGTERM and waits 10 s before SIGKILL: stop reading and commit what is finished.
    context.Cancel = true;
    stop.Request();
});

return await CommandDispatcher.MainAsync(args, Environment.GetEnvironmentVariable, TimeProvider.System, Console.Out, Console.Error, stop);
