/** Every benchmark scenario, in the order of the issues' items (1–7 from issue 8, 8 from issue 14, 9–10 from issue 17). */
import type { Scenario } from '../scenario.ts';
import { wsEchoScenario } from './ws-echo.ts';
import { fanoutScenario } from './fanout.ts';
import { idleMemoryScenario } from './idle-memory.ts';
import { connectionsScenario } from './connections.ts';
import { httpPollingScenario } from './http-polling.ts';
import { suiteSpeedScenario } from './suite-speed.ts';
import { techniquesScenario } from './techniques.ts';
import { soakScenario } from './soak.ts';
import { harnessMemoryScenario } from './harness-memory.ts';
import { clusterScenario } from './cluster.ts';

export const SCENARIOS: Scenario[] = [wsEchoScenario, fanoutScenario, idleMemoryScenario, connectionsScenario, httpPollingScenario, techniquesScenario, suiteSpeedScenario, soakScenario, harnessMemoryScenario, clusterScenario];
