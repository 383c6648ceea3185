import { loadConfig } from '../config/env.js';
import { createLogger } from '../logging/logger.js';
import { startService, stopOnSignals, type Role } from '../main.js';

export async function runServe(roles: Role[]): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const service = await startService(roles, config, logger);
  stopOnSignals(service, logger);
}
