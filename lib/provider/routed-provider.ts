// The provider the engine talks to: the simulator for simulated hosts and their VMs, the agent
// provider for hosts that run the Skylight agent and theirs. A VM belongs to one side by its id, a
// host by whether it was added as running the agent. What would cross from one side to the other
// (moving a simulated VM onto a real host) is refused, as is what real hosts cannot do yet.
import type { AgentProvider } from "@/lib/provider/agent-provider";
import { ProviderError, type InfrastructureProvider, type PerformanceReport } from "@/lib/provider/provider";

const NOT_YET = "on hosts running the Skylight agent this is not available yet (live migration, Storage vMotion, Clone to Template and HA restarts of real VMs come with the next real-hosts issue)";

export function routeProviders(simulator: InfrastructureProvider, agents: AgentProvider): InfrastructureProvider {
  const refuse = (what: string): never => {
    throw new ProviderError(`${what}: ${NOT_YET}`, false);
  };
  const forVm = (vmId: string) => (agents.isAgentVm(vmId) ? agents : simulator);

  return {
    // The simulator is asked first: it holds nearly every VM, and a VM it holds costs one query.
    findVm: async (ownerKey) => (await simulator.findVm(ownerKey)) ?? agents.findVm(ownerKey),
    listVms: async () => [...(await simulator.listVms()), ...(await agents.listVms())],
    createVm: async (request) => ((await agents.hasHost(request.host)) ? agents.createVm(request) : simulator.createVm(request)),
    setPowerState: (vmId, state, mode) => forVm(vmId).setPowerState(vmId, state, mode),
    reconfigureVm: (vmId, hardware) => forVm(vmId).reconfigureVm(vmId, hardware),
    async migrateVm(vmId, targetHost) {
      if (agents.isAgentVm(vmId) || (await agents.hasHost(targetHost))) refuse(`Migrating VM ${vmId} to ${targetHost}`);
      return simulator.migrateVm(vmId, targetHost);
    },
    async relocateVmStorage(vmId, datastore) {
      if (agents.isAgentVm(vmId) || (await agents.hasDatastore(datastore))) refuse(`Moving the disks of VM ${vmId} to ${datastore}`);
      return simulator.relocateVmStorage(vmId, datastore);
    },
    publishVm: (vmId, request) => (agents.isAgentVm(vmId) ? refuse(`Cloning VM ${vmId} to a template`) : simulator.publishVm(vmId, request)),
    findTemplate: (id) => simulator.findTemplate(id),
    deleteTemplate: (id) => simulator.deleteTemplate(id),
    renameVm: (vmId, ownerKey) => forVm(vmId).renameVm(vmId, ownerKey),
    async restartVmOnHost(vmId, targetHost) {
      if (agents.isAgentVm(vmId) || (await agents.hasHost(targetHost))) refuse(`Restarting VM ${vmId} on ${targetHost}`);
      return simulator.restartVmOnHost(vmId, targetHost);
    },
    deleteVm: (vmId) => forVm(vmId).deleteVm(vmId),
    takeSnapshot: (vmId, request) => forVm(vmId).takeSnapshot(vmId, request),
    revertToSnapshot: (vmId, snapshotId, requestId) => forVm(vmId).revertToSnapshot(vmId, snapshotId, requestId),
    removeSnapshot: (vmId, snapshotId, requestId) => forVm(vmId).removeSnapshot(vmId, snapshotId, requestId),

    listHosts: async () => [...(await simulator.listHosts()), ...(await agents.listHosts())],
    findHost: async (name) => ((await agents.hasHost(name)) ? agents.findHost(name) : simulator.findHost(name)),
    staleHosts: async (since) => [...(await simulator.staleHosts(since)), ...(await agents.staleHosts())],
    async addHost(request) {
      if (await agents.hasHost(request.name)) throw new ProviderError(`Host ${request.name} was added as a host running the Skylight agent`, false);
      return simulator.addHost(request);
    },
    removeHost: async (name) => ((await agents.hasHost(name)) ? agents.removeHost(name) : simulator.removeHost(name)),
    failHost: async (name) => ((await agents.hasHost(name)) ? refuse(`Failing host ${name} by injection (stop its agent instead)`) : simulator.failHost(name)),
    recoverHost: async (name) => ((await agents.hasHost(name)) ? refuse(`Recovering host ${name} by injection (start its agent instead)`) : simulator.recoverHost(name)),

    findDatastore: async (name) => (await agents.findDatastore(name)) ?? simulator.findDatastore(name),
    addDatastore: (request) => simulator.addDatastore(request),

    guestLoad: (vmId, at) => forVm(vmId).guestLoad(vmId, at),
    async performance(at): Promise<PerformanceReport> {
      const [simulated, real] = [await simulator.performance(at), await agents.performance(at)];
      const realDatastores = new Set(real.datastores.map((datastore) => datastore.name));
      return {
        hosts: [...simulated.hosts, ...real.hosts],
        vms: [...simulated.vms, ...real.vms],
        datastores: [...simulated.datastores.filter((datastore) => !realDatastores.has(datastore.name)), ...real.datastores],
      };
    },
  };
}
