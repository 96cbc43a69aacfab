// Per-image, per-layer pull progress for the preparing screen, from `pull.progress` / `pull.completed`.
import type { EventOf } from '../../engine/events.js';

export interface LayerView {
  id: string;
  status: string;
  current: number | null;
  total: number | null;
}

export interface PullView {
  image: string;
  /** The newest image-level line ("1.1.0: Pulling from glowworm/backend", "Digest: …"). */
  status: string;
  layers: LayerView[];
  done: boolean;
  digest: string | null;
}

// Docker reports image-level lines with the tag or image as their `id`; layers are content ids (12+ hex digits).
const LAYER_ID = /^[0-9a-f]{12,}$/;

function upsertPull(pulls: readonly PullView[], image: string, change: (p: PullView) => PullView): PullView[] {
  const index = pulls.findIndex((p) => p.image === image);
  if (index === -1) return [...pulls, change({ image, status: '', layers: [], done: false, digest: null })];
  return pulls.map((p, i) => (i === index ? change(p) : p));
}

export function applyPullProgress(pulls: readonly PullView[], e: EventOf<'pull.progress'>): PullView[] {
  return upsertPull(pulls, e.image, (pull) => {
    if (!LAYER_ID.test(e.layer)) return { ...pull, status: e.status };
    const layer: LayerView = { id: e.layer, status: e.status, current: e.current ?? null, total: e.total ?? null };
    const index = pull.layers.findIndex((l) => l.id === e.layer);
    const layers = index === -1 ? [...pull.layers, layer] : pull.layers.map((l, i) => (i === index ? keepTotal(l, layer) : l));
    return { ...pull, layers };
  });
}

// "Verifying Checksum" / "Pull complete" lines carry no byte counts: keep the last known ones so the bar stays full.
function keepTotal(before: LayerView, after: LayerView): LayerView {
  if (after.total !== null) return after;
  return { ...after, current: before.total ?? before.current, total: before.total };
}

export function applyPullCompleted(pulls: readonly PullView[], e: EventOf<'pull.completed'>): PullView[] {
  return upsertPull(pulls, e.image, (pull) => ({ ...pull, done: true, digest: e.digest }));
}

/** 0..1 for a progress bar; null when the layer has no byte count yet (waiting, already exists). */
export function layerFraction(layer: LayerView): number | null {
  if (layer.total === null || layer.total <= 0 || layer.current === null) return null;
  return Math.min(1, Math.max(0, layer.current / layer.total));
}

export interface PullTotals {
  /** Bytes downloaded of the layers whose size is known. */
  current: number;
  /** The sum of the known layer sizes; layers already on the engine have none and count as done. */
  total: number;
  layersDone: number;
  layers: number;
}

const LAYER_DONE = /complete|exists/i;

export function isLayerDone(layer: LayerView): boolean {
  return LAYER_DONE.test(layer.status);
}

/** Bytes and layers of one image, or of several summed: the numbers of the pull's total line. */
export function pullTotals(pulls: readonly PullView[]): PullTotals {
  const totals: PullTotals = { current: 0, total: 0, layersDone: 0, layers: 0 };
  for (const pull of pulls) {
    for (const layer of pull.layers) {
      totals.layers += 1;
      const done = pull.done || isLayerDone(layer);
      if (done) totals.layersDone += 1;
      if (layer.total !== null && layer.total > 0) {
        totals.total += layer.total;
        totals.current += done ? layer.total : Math.min(layer.total, layer.current ?? 0);
      }
    }
  }
  return totals;
}

/** 0..1 of the known bytes; null before any layer has a size. */
export function totalsFraction(t: PullTotals): number | null {
  return t.total > 0 ? t.current / t.total : null;
}
