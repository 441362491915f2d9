/** Every benchmark scenario, in the order of the items. */
import type { Scenario } from '../scenario.ts';
import { wsEchoScenario } from './ws-echo.ts';
import { fanoutScenario } from './fanout.ts';
import { idleMemoryScenario } from './idle-memory.ts';
import { connectionsScenario } from './connections.ts';
import { httpPollingScenario } from './http-polling.ts';
import { suiteSpeedScenario } from './suite-speed.ts';
import { techniquesScenario } from './techniques.ts';

export const SCENARIOS: Scenario[] = [wsEchoScenario, fanoutScenario, idleMemoryScenario, connectionsScenario, httpPollingScenario, techniquesScenario, suiteSpeedScenario];
