-- scoring_runs: the run ledger, one row per task attempt of every run with a BigQuery sink, beside the sink table.
-- Columns mirror src/Stages/Model/ScoringRunsTable.cs (a test keeps them in line). Replace the placeholders and run:
--   sed -e 's/{{PROJECT}}/my-project/g' -e 's/{{DATASET}}/sales/g' deploy/scoring_runs.sql | bq query --use_legacy_sql=false
-- Each attempt commits its own row once (one PENDING stream), at the very end of the run. A retried task has one row
-- per attempt; the latest attempt per run and task is the one that counts:
--   SELECT * FROM `my-project.sales.scoring_runs` WHERE run_id = 'RUN'
--   QUALIFY task_attempt = MAX(task_attempt) OVER (PARTITION BY run_id, task_index)

CREATE TABLE IF NOT EXISTS `{{PROJECT}}.{{DATASET}}.scoring_runs`
(
  run_id STRING NOT NULL OPTIONS (description = 'The run (CLOUD_RUN_EXECUTION by default).'),
  execution STRING OPTIONS (description = 'CLOUD_RUN_EXECUTION; null outside Cloud Run.'),
  task_index INT64 NOT NULL OPTIONS (description = 'CLOUD_RUN_TASK_INDEX; 0 outside Cloud Run.'),
  task_count INT64 NOT NULL OPTIONS (description = 'CLOUD_RUN_TASK_COUNT; 1 outside Cloud Run.'),
  task_attempt INT64 NOT NULL OPTIONS (description = 'CLOUD_RUN_TASK_ATTEMPT; 0 for the first attempt.'),
  dates STRING NOT NULL OPTIONS (description = 'The partition filter, as the summary prints it.'),
  source STRING NOT NULL OPTIONS (description = 'The source.'),
  sink STRING NOT NULL OPTIONS (description = 'The sink.'),
  scorer STRING NOT NULL OPTIONS (description = 'rules | gemini.'),
  model STRING OPTIONS (description = 'The model requested (gemini).'),
  model_version STRING OPTIONS (description = 'The model versions that answered, comma-separated.'),
  prompt_version STRING OPTIONS (description = 'The prompt version (gemini).'),
  status STRING NOT NULL OPTIONS (description = 'completed | stopped | aborted | failed.'),
  exit_code INT64 NOT NULL OPTIONS (description = 'The process exit code (docs/CLOUD_RUN.md).'),
  read INT64 NOT NULL OPTIONS (description = 'Rows read within the date filter.'),
  scored INT64 NOT NULL OPTIONS (description = 'Recommendations produced.'),
  written INT64 NOT NULL OPTIONS (description = 'Rows committed by the sink.'),
  skipped INT64 NOT NULL OPTIONS (description = 'Rows deliberately not scored.'),
  dead_lettered INT64 NOT NULL OPTIONS (description = 'Rows dead-lettered.'),
  carried_forward INT64 OPTIONS (description = 'Accounts carried forward unchanged; null when carry-forward was off.'),
  input_tokens INT64 NOT NULL OPTIONS (description = 'Prompt tokens.'),
  output_tokens INT64 NOT NULL OPTIONS (description = 'Answer tokens.'),
  thinking_tokens INT64 OPTIONS (description = 'Thinking tokens, for a model that reports them.'),
  cost_usd FLOAT64 OPTIONS (description = 'Estimated cost in US dollars; null when no price is known.'),
  latency_p50_ms INT64 OPTIONS (description = 'Median model call latency.'),
  latency_p90_ms INT64 OPTIONS (description = '90th percentile model call latency.'),
  latency_p99_ms INT64 OPTIONS (description = '99th percentile model call latency.'),
  started_at TIMESTAMP NOT NULL OPTIONS (description = 'When the run started (UTC).'),
  ended_at TIMESTAMP NOT NULL OPTIONS (description = 'When the run ended (UTC).'),
  error STRING OPTIONS (description = 'The one-line error of a failed run.')
)
PARTITION BY DATE(started_at)
CLUSTER BY run_id
OPTIONS (description = 'SalesIntel run ledger, one committed row per task attempt.');
