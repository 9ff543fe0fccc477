namespace SalesIntel.Tests.Deploy;

/// <summary>deploy/deploy.sh: shellcheck-clean, and --dry-run prints every command with its values and runs none.</summary>
public sealed class DeployScriptTests
{
    private const string Script = "deploy/deploy.sh";

    [ShellcheckFact]
    public void DeployScript_HasNoShellcheckFindings()
    {
        var (code, stdout, stderr) = DeployFiles.Run(DeployFiles.Shellcheck()!, Script);
        Assert.True(code == 0, $"shellcheck {Script} found problems:\n{stdout}{stderr}");
    }

    [Fact]
    public void DryRun_PrintsEveryCommandWithTheValuesFilledIn()
    {
        var (code, stdout, stderr) = DeployFiles.Run("/bin/bash", Script, "--project", "demo-proj", "--region", "europe-west4", "--source-dataset", "raw", "--sink-dataset", "scored", "--tag", "t1", "--dry-run");
        Assert.True(code == 0, stderr);
        var commands = stdout.Split('\n').Where(l => l.StartsWith("+ ", StringComparison.Ordinal)).ToList();
        string[] expected =
        [
            "+ gcloud services enable run.googleapis.com artifactregistry.googleapis.com cloudscheduler.googleapis.com bigquery.googleapis.com bigquerystorage.googleapis.com aiplatform.googleapis.com iam.googleapis.com --project demo-proj",
            "+ gcloud artifacts repositories create salesintel --repository-format docker --location europe-west4 --project demo-proj",
            "-t:PublishContainer -p:ContainerRegistry=europe-west4-docker.pkg.dev -p:ContainerRepository=demo-proj/salesintel/salesintel -p:ContainerImageTag=t1",
            "+ gcloud iam service-accounts create salesintel-job",
            "+ gcloud iam service-accounts create salesintel-scheduler",
            "--member serviceAccount:salesintel-job@demo-proj.iam.gserviceaccount.com --role roles/bigquery.readSessionUser",
            "--member serviceAccount:salesintel-job@demo-proj.iam.gserviceaccount.com --role roles/aiplatform.user",
            "+ bq --project_id demo-proj mk --dataset --location US demo-proj:raw",
            "+ bq --project_id demo-proj mk --dataset --location US demo-proj:scored",
            "CREATE TABLE IF NOT EXISTS `demo-proj.raw.account_signals`",
            "CREATE TABLE IF NOT EXISTS `demo-proj.scored.account_recommendations`",
            "CREATE TABLE IF NOT EXISTS `demo-proj.scored.account_recommendation_dead_letters`",
            "CREATE TABLE IF NOT EXISTS `demo-proj.scored.scoring_runs`",
            @"GRANT\ \`roles/bigquery.dataViewer\`\ ON\ SCHEMA\ \`demo-proj.raw\`",
            @"GRANT\ \`roles/bigquery.dataEditor\`\ ON\ SCHEMA\ \`demo-proj.scored\`",
            "+ gcloud run jobs replace ",
            "+ gcloud run jobs add-iam-policy-binding salesintel-daily --region europe-west4 --project demo-proj --member serviceAccount:salesintel-scheduler@demo-proj.iam.gserviceaccount.com --role roles/run.invoker",
            "+ gcloud scheduler jobs create http salesintel-daily --location europe-west4 --project demo-proj",
            "--uri https://run.googleapis.com/v2/projects/demo-proj/locations/europe-west4/jobs/salesintel-daily:run --http-method POST --oauth-service-account-email salesintel-scheduler@demo-proj.iam.gserviceaccount.com",
        ];
        var missing = expected.Where(e => !commands.Any(c => c.Contains(e, StringComparison.Ordinal))).ToList();
        Assert.True(missing.Count == 0, "dry run lacks:\n" + string.Join("\n", missing) + "\n--- output:\n" + stdout);
        Assert.DoesNotContain(commands, c => c.Contains("{{", StringComparison.Ordinal));
        // Least privilege: no project-wide data roles, no editor/owner.
        Assert.DoesNotContain(commands, c => c.Contains("add-iam-policy-binding demo-proj", StringComparison.Ordinal) && c.Contains("roles/bigquery.data", StringComparison.Ordinal));
        Assert.DoesNotContain(commands, c => c.Contains("roles/editor", StringComparison.Ordinal) || c.Contains("roles/owner", StringComparison.Ordinal));
    }

    [Fact]
    public void DryRun_ChecksBeforeCreating_SoASecondRunIsHarmless()
    {
        var (_, stdout, _) = DeployFiles.Run("/bin/bash", Script, "--project", "demo-proj", "--dry-run");
        var lines = stdout.Split('\n').ToList();
        int Index(string s) => lines.FindIndex(l => l.Contains(s, StringComparison.Ordinal));
        Assert.True(Index("artifacts repositories describe salesintel") is var d and >= 0 && d < Index("artifacts repositories create salesintel"));
        Assert.True(Index("scheduler jobs describe salesintel-daily") is var s and >= 0 && s < Index("scheduler jobs create http salesintel-daily"));
        Assert.True(Index("iam service-accounts describe salesintel-job@") is var a and >= 0 && a < Index("iam service-accounts create salesintel-job"));
    }

    [Fact]
    public void WithoutAProject_ItStopsWithOneLineSayingHowToGiveIt()
    {
        var (code, _, stderr) = DeployFiles.Run("/bin/bash", Script, "--dry-run");
        Assert.Equal(2, code);
        Assert.Contains("no project: give --project PROJECT (or set GOOGLE_CLOUD_PROJECT)", stderr, StringComparison.Ordinal);
    }
}
