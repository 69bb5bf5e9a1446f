// The Monitor tab's serial console of a VM on a real host: the end of the guest's serial log and
// the address the guest reported, as the host's agent last sent them (agent_machines). A simulated
// VM has no machine row and no console.
import "server-only";
import { getPool } from "@/lib/db/pool";
import { isUid } from "@/lib/inventory/object-view";

/** As many lines as fit a screen or two; the agent keeps up to 16 KiB of the log's end. */
export const SERIAL_CONSOLE_LINES = 200;

export interface SerialConsoleView {
  host: string;
  powerState: string;
  ipAddress: string | null;
  /** Oldest first, at most SERIAL_CONSOLE_LINES. */
  lines: string[];
}

// Terminal escape sequences (colours, cursor moves) and control characters other than tab.
const TERMINAL_CONTROLS = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b[@-Z\\-_]|[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** The log as readable lines: escape sequences gone, carriage returns ending lines, no trailing empty line. */
export function serialLines(tail: string, limit = SERIAL_CONSOLE_LINES): string[] {
  const lines = tail.replace(/\r\n?/g, "\n").split("\n").map((line) => line.replace(TERMINAL_CONTROLS, ""));
  if (lines.at(-1) === "") lines.pop();
  return lines.slice(-limit);
}

export async function readSerialConsole(vmUid: string): Promise<SerialConsoleView | null> {
  if (!isUid(vmUid)) return null;
  const { rows } = await getPool().query<{ host: string; power_state: string | null; ip_address: string | null; serial_tail: string | null }>(
    `SELECT m.host, m.status->>'powerState' AS power_state, m.status->>'ipAddress' AS ip_address, m.status->>'serialTail' AS serial_tail
       FROM resources vm JOIN agent_machines m ON m.owner_key = vm.namespace || '/' || vm.name
      WHERE vm.uid = $1 AND vm.kind = 'VirtualMachine'`,
    [vmUid],
  );
  const row = rows[0];
  if (!row) return null;
  return { host: row.host, powerState: row.power_state ?? "PoweredOff", ipAddress: row.ip_address, lines: serialLines(row.serial_tail ?? "") };
}
