/**
 * Runs a unit of work again when PostgreSQL aborted it for a concurrency conflict: a deadlock
 * (40P01) or a serialization failure (40001). Two touch batches that share contacts update those
 * contacts' rows in whatever order their rows come, so they can deadlock; the server then rolls
 * one back whole, and running it again is the standard answer (Odoo retries a request on these
 * errors the same way). `fn` must be a whole transaction: nothing of a failed attempt is left.
 */
const RETRYABLE = new Set(['40P01', '40001']);

export function isConcurrencyConflict(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    'code' in err &&
    typeof err.code === 'string' &&
    RETRYABLE.has(err.code)
  );
}

export async function retryOnConflict<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !isConcurrencyConflict(err)) throw err;
      // Jittered so the two sides of a deadlock do not meet again at once.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * attempt));
    }
  }
}
