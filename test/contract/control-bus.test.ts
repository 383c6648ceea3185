import { LocalControlBus } from '../../src/control/control-bus.js';
import { describeControlBusContract } from './control-bus.contract.js';

describeControlBusContract('local', async () => {
  const bus = new LocalControlBus();
  return { bus, dispose: () => bus.close() };
});
