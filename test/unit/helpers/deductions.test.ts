import { detailTypeOf, eventDetail } from '../../../lambdas/domain/deductions/events.js';
import {
  availabilityViewContract,
  deductionEventsContract,
  deductionQueueContract,
  deductionStoreContract,
  holdTimersContract,
  stockLedgerContract,
} from '../../helpers/contracts/deductions.js';
import { MemoryAvailability, MemoryDeductions, MemoryEvents, MemoryQueue, MemoryTimers } from '../../helpers/deductions.js';

const deductions = async () => {
  const memory = new MemoryDeductions();
  return { store: memory, ledger: memory, setStock: async (sku: string, quantity: number) => memory.setStock(sku, quantity) };
};

deductionStoreContract('MemoryDeductions', deductions);
stockLedgerContract('MemoryDeductions', deductions);

availabilityViewContract('MemoryAvailability', async () => {
  const view = new MemoryAvailability();
  return {
    view: () => view,
    setStock: async (sku, quantity) => void view.set(sku, quantity),
    setFlag: async (sku, soldOut) => void view.flag(sku, soldOut),
  };
});

deductionQueueContract('MemoryQueue', async () => {
  const queue = new MemoryQueue();
  return { queue, received: async () => queue.sent.splice(0) };
});

holdTimersContract('MemoryTimers', async () => {
  const timers = new MemoryTimers();
  return { timers, received: async () => timers.scheduled.splice(0).map((t) => t.message) };
});

deductionEventsContract('MemoryEvents', async () => {
  const events = new MemoryEvents();
  return {
    events,
    received: async () =>
      events.published.splice(0).map((t) => ({
        detailType: detailTypeOf(t.deduction.status),
        detail: eventDetail(t, Date.now()) as unknown as Record<string, unknown>,
      })),
  };
});
