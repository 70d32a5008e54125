// Wakes the bulk deletion processors running in this process (inline in the
// app, lib/deletions/processor.ts) when a batch is queued, so it starts at
// once rather than at the next poll. Processors in another process (`npm run
// worker`) find it at their poll.

const listeners = new Set<() => void>();

export function onDeletionBatchQueued(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function wakeDeletionProcessors(): void {
  for (const listener of listeners) listener();
}
