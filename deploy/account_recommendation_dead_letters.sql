-- account_recommendation_dead_letters: the rows a run with a BigQuery sink could not process, beside the sink table.
-- Columns mirror src/Stages/Model/DeadLettersTable.cs (a test keeps them in line). Replace the placeholders and run:
--   sed -e 's/{{PROJECT}}/my-project/g' -e 's/{{DATASET}}/sales/g' deploy/account_recommendation_dead_letters.sql | bq query --use_legacy_sql=false
-- A task attempt's dead letters are meant to be committed in one PENDING stream, once, after the sink's final commit;
-- task_attempt (CLOUD_RUN_TASK_ATTEMPT) tells the attempts of one task apart.

CREATE TABLE IF NOT EXISTS `{{PROJECT}}.{{DATASET}}.account_recommendation_dead_letters`
(
  run_id STRING NOT NULL OPTIONS (description = 'The run (CLOUD_RUN_EXECUTION by default).'),
  task_index INT64 NOT NULL OPTIONS (description = 'CLOUD_RUN_TASK_INDEX; 0 outside Cloud Run.'),
  task_attempt INT64 NOT NULL OPTIONS (description = 'CLOUD_RUN_TASK_ATTEMPT; 0 for the first attempt.'),
  stage STRING NOT NULL OPTIONS (description = 'source | decode | score | sink.'),
  reason STRING NOT NULL OPTIONS (description = 'Machine-friendly reason, e.g. unparsable_value.'),
  message STRING NOT NULL OPTIONS (description = 'One human line naming the value and the problem.'),
  source_position STRING OPTIONS (description = 'File and line, or stream and row.'),
  account_id STRING OPTIONS (description = 'The account, when known.'),
  raw_input JSON OPTIONS (description = 'The raw input or answer (JSON as is, other text as a JSON string), truncated to 4,096 characters.'),
  dead_lettered_at TIMESTAMP NOT NULL OPTIONS (description = 'When the run recorded it (UTC).')
)
PARTITION BY DATE(dead_lettered_at)
CLUSTER BY run_id
OPTIONS (description = 'SalesIntel dead letters, one committed set per task attempt.');
