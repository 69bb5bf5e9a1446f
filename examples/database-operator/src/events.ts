// Events about an instance, as `kubectl describe` and the console's Monitor tab show them.
import * as k8s from "@kubernetes/client-node";
import { KIND, GROUP, VERSION, type PostgresInstance } from "./postgres-instance.js";

export const COMPONENT = "database-operator";

export type Recorder = (instance: PostgresInstance, type: "Normal" | "Warning", reason: string, message: string) => Promise<void>;

export function eventRecorder(api: k8s.CoreV1Api, identity: string, log: (message: string) => void): Recorder {
  return async (instance, type, reason, message) => {
    const now = new Date();
    const { name, namespace, uid } = instance.metadata;
    try {
      await api.createNamespacedEvent({
        namespace,
        body: {
          metadata: { name: `${name}.${now.getTime().toString(16)}${Math.floor(Math.random() * 0xfff).toString(16)}`, namespace },
          involvedObject: { apiVersion: `${GROUP}/${VERSION}`, kind: KIND, name, namespace, uid },
          type,
          reason,
          message,
          source: { component: COMPONENT },
          reportingComponent: COMPONENT,
          reportingInstance: identity,
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
        },
      });
    } catch (error) {
      // An event is a courtesy: the status says the same, so a refused event must not stop the reconcile.
      log(`event ${reason} on ${namespace}/${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}
