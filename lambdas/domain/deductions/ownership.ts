import { NotFoundError } from '../errors.js';
import type { DeductionStore } from './ports.js';
import type { Deduction } from './types.js';

/**
 * The caller's deduction `id`. Another buyer's deduction is answered exactly as an id that was
 * never issued (the same error, code and message, after the same single read), so a caller cannot
 * tell that it exists, let alone read or change it.
 *
 * @throws NotFoundError DEDUCTION_NOT_FOUND when there is no such deduction of `owner`.
 */
export async function ownDeduction(store: DeductionStore, id: string, owner: string, signal?: AbortSignal): Promise<Deduction> {
  const record = await store.get(id, signal);
  if (!record || record.owner !== owner) throw new NotFoundError(`No deduction ${id}`, 'DEDUCTION_NOT_FOUND');
  return record;
}
