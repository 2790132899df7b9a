#!/usr/bin/env bash
# load → embed → mine as Slurm job arrays over a shared filesystem (see README.md). Submit from the repository root
# (after `npx -y pnpm@12.4.2 install --frozen-lockfile`) on a login node:   bash docs/cluster/slurm-array.sh
# Each task runs the same command; `--shard auto` reads SLURM_ARRAY_TASK_ID/_MIN/_COUNT. Each step waits for the
# whole previous array (afterok) and reads its folder of parts as one dataset.
set -euo pipefail
DATA=${DATA:-/shared/photos}      # input images (class folders)
WORK=${WORK:-/shared/tripletkit}  # shared output folder
MODEL=${MODEL:-$WORK/run}         # a trained model (tripletkit train -o …)
mkdir -p "$WORK/logs"
TK="pnpm exec tripletkit"

load=$(sbatch --parsable --array=0-15 --cpus-per-task=2 --mem=2G --output="$WORK/logs/load-%a.log" \
  --wrap="$TK load $DATA --size 96 --shard auto -o $WORK/images/images.arrow")

embed=$(sbatch --parsable --array=0-15 --cpus-per-task=2 --mem=2G --dependency=afterok:$load \
  --output="$WORK/logs/embed-%a.log" \
  --wrap="$TK embed --model $MODEL --images $WORK/images --shard auto -o $WORK/emb/emb.arrow")

mine=$(sbatch --parsable --array=0-99 --cpus-per-task=2 --mem=2G --dependency=afterok:$embed \
  --output="$WORK/logs/mine-%a.log" \
  --wrap="$TK mine --embeddings $WORK/emb --strategy semi-hard --max-per-anchor 10 --shard auto -o $WORK/mined/mined.arrow")

echo "submitted load=$load embed=$embed mine=$mine; triplets: $WORK/mined/ (read the folder as one dataset)"
