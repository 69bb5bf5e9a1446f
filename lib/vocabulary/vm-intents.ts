// What each of a VM's power and delete operations means, defined once: the state and mode the
// engine writes into the spec (vm-operator's powerState, powerOffMode, restartMode), the task it
// records, the words of the Actions menu and the list's bulk actions, and the VM controller's
// progress label while the provider carries it out. Power Off cuts the power (Hard); Shut Down
// Guest OS asks the guest to shut down (Soft). Pure: the console, the server actions, the engine
// and the controllers import it.
import type { PowerOpMode, PowerState } from "@/lib/provider/provider";

export interface VmIntent {
  /** The menu item and button. */
  label: string;
  /** The toast's words before the VM's name ("Powering off web-01"). */
  doing: string;
  /** The VM controller's progress label while the provider carries it out, where it differs from `doing`. */
  progress?: string;
  /** The task's operation and the verb its description starts with ("Power off virtual machine web-01"). */
  operation: string;
  task: string;
  /** The power state the intent asks for, and how a power-off happens. */
  powerState?: PowerState;
  powerOffMode?: PowerOpMode;
  /** A restart of a running VM: Hard is a power cycle (Reset), Soft the guest's own restart. */
  restartMode?: PowerOpMode;
}

export const VM_INTENTS = {
  powerOn: { label: "Power On", doing: "Powering on", operation: "VirtualMachine.powerOn", task: "Power on", powerState: "PoweredOn" },
  powerOff: { label: "Power Off", doing: "Powering off", operation: "VirtualMachine.powerOff", task: "Power off", powerState: "PoweredOff", powerOffMode: "Hard" },
  suspend: { label: "Suspend", doing: "Suspending", operation: "VirtualMachine.suspend", task: "Suspend", powerState: "Suspended" },
  shutdownGuest: {
    label: "Shut Down Guest OS",
    doing: "Shutting down the guest OS of",
    progress: "Shutting down guest OS",
    operation: "VirtualMachine.shutdownGuest",
    task: "Shut down guest OS of",
    powerState: "PoweredOff",
    powerOffMode: "Soft",
  },
  reset: { label: "Reset", doing: "Resetting", operation: "VirtualMachine.reset", task: "Reset", restartMode: "Hard" },
  restartGuest: { label: "Restart Guest OS", doing: "Restarting the guest OS of", operation: "VirtualMachine.restartGuest", task: "Restart guest OS of", restartMode: "Soft" },
  delete: { label: "Delete from Disk", doing: "Deleting from disk", operation: "VirtualMachine.delete", task: "Delete" },
} as const satisfies Record<string, VmIntent>;

export type VmIntentName = keyof typeof VM_INTENTS;
export type PowerIntentName = "powerOn" | "powerOff" | "suspend" | "shutdownGuest";
export type RestartIntentName = "reset" | "restartGuest";

/**
 * The intent a spec's power state and power-off mode carry out, so a task says what happens: a
 * power-off that is not Hard asks the guest to shut down first (vm-operator's Soft and TrySoft).
 */
export function powerIntentFor(powerState: PowerState, powerOffMode?: PowerOpMode): PowerIntentName {
  if (powerState === "PoweredOn") return "powerOn";
  if (powerState === "Suspended") return "suspend";
  return powerOffMode === "Hard" ? "powerOff" : "shutdownGuest";
}

export const restartIntentFor = (restartMode: PowerOpMode): RestartIntentName => (restartMode === "Hard" ? "reset" : "restartGuest");

/** The task's description: "Power off virtual machine web-01", "Delete virtual machine web-01 from disk". */
export const intentDescription = (intent: VmIntentName, vmName: string) => `${VM_INTENTS[intent].task} virtual machine ${vmName}${intent === "delete" ? " from disk" : ""}`;

/** The VM controller's progress label for an intent's provider operation ("Powering off — 40 %"). */
export const progressLabel = (intent: VmIntentName): string => {
  const meaning: VmIntent = VM_INTENTS[intent];
  return meaning.progress ?? meaning.doing;
};
