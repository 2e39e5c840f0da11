/**
 * Imported first by the worker's entry: from here on every line the process writes is one JSON object (Nest's logger,
 * console output, warnings, an uncaught error), at the configured LOG_LEVEL.
 */
import { Logger } from '@nestjs/common';
import { JsonLogger, loadConfig, routeProcessOutput } from '@app/core';

const logger = new JsonLogger();
try {
  logger.setLevel(loadConfig().logLevel);
} catch {
  // A bad setting is reported by the entry's own loadConfig, through this logger.
}
routeProcessOutput(logger);
Logger.overrideLogger(logger);
