import {
  availabilityViewContract,
  deductionQueueContract,
  deductionStoreContract,
  stockLedgerContract,
} from '../../helpers/contracts/deductions.js';
import { MemoryAvailability, MemoryDeductions, MemoryQueue } from '../../helpers/deductions.js';

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
