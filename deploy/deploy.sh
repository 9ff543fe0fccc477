#!/usr/bin/env bash
# Deploys the nightly SalesIntel Cloud Run job: APIs, Artifact Registry, image, service accounts and roles, tables,
# the job (deploy/job.yaml) and its Cloud Scheduler trigger. Idempotent: every resource is described first and only
# created when absent; role grants and `gcloud run jobs replace` are safe to repeat.
#
#   deploy/deploy.sh --project P [--region us-central1] [--source-dataset sales] [--sink-dataset sales] [--dry-run]
#
# --dry-run prints every command with the values filled in and runs none of them (nothing needs to be installed).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

project="${GOOGLE_CLOUD_PROJECT:-}"
region="us-central1"
bq_location="US"
source_dataset="sales"
sink_dataset="sales"
job="salesintel-daily"
repo="salesintel"
tag=""
schedule="0 5 * * *"
schedule_zone="Etc/UTC"
dry_run=0

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
  echo "options: --project --region --bq-location --source-dataset --sink-dataset --job --repo --tag --schedule --schedule-time-zone --dry-run"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --project) project="$2"; shift 2 ;;
    --region) region="$2"; shift 2 ;;
    --bq-location) bq_location="$2"; shift 2 ;;
    --source-dataset) source_dataset="$2"; shift 2 ;;
    --sink-dataset) sink_dataset="$2"; shift 2 ;;
    --job) job="$2"; shift 2 ;;
    --repo) repo="$2"; shift 2 ;;
    --tag) tag="$2"; shift 2 ;;
    --schedule) schedule="$2"; shift 2 ;;
    --schedule-time-zone) schedule_zone="$2"; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "deploy.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

if [ -z "$project" ]; then
  echo "deploy.sh: no project: give --project PROJECT (or set GOOGLE_CLOUD_PROJECT)" >&2
  exit 2
fi

if [ -z "$tag" ]; then
  tag=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo latest)
fi

registry="${region}-docker.pkg.dev"
image="${registry}/${project}/${repo}/salesintel:${tag}"
job_sa_name="salesintel-job"
scheduler_sa_name="salesintel-scheduler"
job_sa="${job_sa_name}@${project}.iam.gserviceaccount.com"
scheduler_sa="${scheduler_sa_name}@${project}.iam.gserviceaccount.com"
run_uri="https://run.googleapis.com/v2/projects/${project}/locations/${region}/jobs/${job}:run"

# Prints a command as a shell would read it back, then runs it unless this is a dry run.
run() {
  printf '+'
  printf ' %q' "$@"
  printf '\n'
  if [ "$dry_run" -eq 0 ]; then
    "$@"
  fi
}

# Runs a describe command quietly: true when the resource exists. A dry run cannot ask, so it shows the check and
# assumes the resource is absent, which prints the create command too.
exists() {
  if [ "$dry_run" -eq 1 ]; then
    printf '+'
    printf ' %q' "$@"
    printf '   # exists? (dry run: assumed absent)\n'
    return 1
  fi
  "$@" >/dev/null 2>&1
}

# Fills the double-brace placeholders of a deploy/ file into a temporary copy and prints its path.
fill() {
  local out
  out=$(mktemp "${TMPDIR:-/tmp}/salesintel-deploy.XXXXXX")
  sed -e "s|{{PROJECT}}|${project}|g" -e "s|{{REGION}}|${region}|g" -e "s|{{JOB}}|${job}|g" \
      -e "s|{{IMAGE}}|${image}|g" -e "s|{{JOB_SA}}|${job_sa}|g" \
      -e "s|{{SOURCE_DATASET}}|${source_dataset}|g" -e "s|{{SINK_DATASET}}|${sink_dataset}|g" \
      -e "s|{{DATASET}}|${2:-}|g" "$1" > "$out"
  echo "$out"
}

echo "# 1. APIs"
run gcloud services enable run.googleapis.com artifactregistry.googleapis.com cloudscheduler.googleapis.com \
  bigquery.googleapis.com bigquerystorage.googleapis.com aiplatform.googleapis.com iam.googleapis.com --project "$project"

echo "# 2. Artifact Registry repository and the image (dotnet publish -t:PublishContainer, no Dockerfile)"
if ! exists gcloud artifacts repositories describe "$repo" --location "$region" --project "$project"; then
  run gcloud artifacts repositories create "$repo" --repository-format docker --location "$region" --project "$project" \
    --description "SalesIntel images"
fi
run gcloud auth configure-docker "$registry" --quiet
run dotnet publish "$root/src/Pipeline" -c Release -t:PublishContainer \
  "-p:ContainerRegistry=${registry}" "-p:ContainerRepository=${project}/${repo}/salesintel" "-p:ContainerImageTag=${tag}"

echo "# 3. Service accounts and least-privilege roles"
for sa in "$job_sa_name" "$scheduler_sa_name"; do
  if ! exists gcloud iam service-accounts describe "${sa}@${project}.iam.gserviceaccount.com" --project "$project"; then
    run gcloud iam service-accounts create "$sa" --display-name "SalesIntel ${sa#salesintel-}" --project "$project"
  fi
done
# Project level: read sessions (the Storage Read API bills and runs them in the project) and Vertex AI calls.
for role in roles/bigquery.readSessionUser roles/aiplatform.user; do
  run gcloud projects add-iam-policy-binding "$project" --member "serviceAccount:${job_sa}" --role "$role" --condition None --quiet
done

echo "# 4. Datasets, tables (deploy/*.sql) and dataset-level roles"
datasets=("$source_dataset")
if [ "$sink_dataset" != "$source_dataset" ]; then
  datasets+=("$sink_dataset")
fi
for dataset in "${datasets[@]}"; do
  if ! exists bq --project_id "$project" show --dataset "${project}:${dataset}"; then
    run bq --project_id "$project" mk --dataset --location "$bq_location" "${project}:${dataset}"
  fi
done
signals_ddl=$(fill "$here/account_signals.sql" "$source_dataset")
recommendations_ddl=$(fill "$here/account_recommendations.sql" "$sink_dataset")
dead_letters_ddl=$(fill "$here/account_recommendation_dead_letters.sql" "$sink_dataset")
scoring_runs_ddl=$(fill "$here/scoring_runs.sql" "$sink_dataset")
# CREATE TABLE IF NOT EXISTS / CREATE OR REPLACE VIEW: repeating them changes nothing.
run bq --project_id "$project" query --use_legacy_sql=false --location "$bq_location" "$(cat "$signals_ddl")"
run bq --project_id "$project" query --use_legacy_sql=false --location "$bq_location" "$(cat "$recommendations_ddl")"
# A bq:// sink's run commits its dead letters beside the sink table (--dead-letter-table).
run bq --project_id "$project" query --use_legacy_sql=false --location "$bq_location" "$(cat "$dead_letters_ddl")"
# Every task attempt of a bq:// sink's run appends its row to the run ledger beside the sink table (--run-ledger-table).
run bq --project_id "$project" query --use_legacy_sql=false --location "$bq_location" "$(cat "$scoring_runs_ddl")"
# BigQuery DCL grants on the datasets only: read the source, write the sink. GRANT is idempotent.
run bq --project_id "$project" query --use_legacy_sql=false --location "$bq_location" \
  "GRANT \`roles/bigquery.dataViewer\` ON SCHEMA \`${project}.${source_dataset}\` TO \"serviceAccount:${job_sa}\""
run bq --project_id "$project" query --use_legacy_sql=false --location "$bq_location" \
  "GRANT \`roles/bigquery.dataEditor\` ON SCHEMA \`${project}.${sink_dataset}\` TO \"serviceAccount:${job_sa}\""

echo "# 5. The Cloud Run job (deploy/job.yaml) and who may run it"
job_yaml=$(fill "$here/job.yaml")
run gcloud run jobs replace "$job_yaml" --region "$region" --project "$project"
run gcloud run jobs add-iam-policy-binding "$job" --region "$region" --project "$project" \
  --member "serviceAccount:${scheduler_sa}" --role roles/run.invoker

echo "# 6. The schedule: Cloud Scheduler POSTs to the job's v2 :run endpoint as the scheduler service account"
schedule_verb=create
if exists gcloud scheduler jobs describe "$job" --location "$region" --project "$project"; then
  schedule_verb=update
fi
run gcloud scheduler jobs "$schedule_verb" http "$job" --location "$region" --project "$project" \
  --schedule "$schedule" --time-zone "$schedule_zone" --uri "$run_uri" --http-method POST \
  --oauth-service-account-email "$scheduler_sa"

rm -f "$signals_ddl" "$recommendations_ddl" "$dead_letters_ddl" "$scoring_runs_ddl" "$job_yaml"
echo "# done: $job runs '$schedule' ($schedule_zone) with image $image"
