// Placeholder entry point so the solution builds on this branch until main's CLI is merged (then main's wins).
return 0;
