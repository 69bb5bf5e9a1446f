// The provider the engine talks to: the simulator for simulated hosts and their VMs, the agent
// provider for hosts that run the Skylight agent and theirs. A VM belongs to one side by its id, a
// host by whether it was added as running the agent. What would cross from one side to the other
// (moving a simulated VM onto a real host, or its disks onto a real host's datastore) is refused, as
// is what real hosts cannot do yet.
import type { AgentProvider } from "@/lib/provider/agent-provider";
import { eachSettled, ProviderError, type InfrastructureProvider, type PerformanceReport, type ProviderVm } from "@/lib/provider/provider";

export function routeProviders(simulator: InfrastructureProvider, agents: AgentProvider): InfrastructureProvider {
  const refuse = (why: string): never => {
    throw new ProviderError(why, false);
  };
  const forVm = (vmId: string) => (agents.isAgentVm(vmId) ? agents : simulator);

  return {
    // The simulator is asked first: it holds nearly every VM, and a VM it holds costs one query.
    findVm: async (ownerKey) => (await simulator.findVm(ownerKey)) ?? agents.findVm(ownerKey),
    async findVms(ownerKeys) {
      const found = await simulator.findVms(ownerKeys);
      const elsewhere = ownerKeys.filter((key) => !found.has(key));
      if (elsewhere.length > 0) for (const [key, vm] of await agents.findVms(elsewhere)) found.set(key, vm);
      return found;
    },
    async createVms(requests) {
      const agentHosts = await agents.agentHostsAmong([...new Set(requests.map((request) => request.host))]);
      const simulated = requests.filter((request) => !agentHosts.has(request.host));
      const created = new Map<(typeof requests)[number], ProviderVm | Error>();
      (await simulator.createVms(simulated)).forEach((result, index) => created.set(simulated[index]!, result));
      const real = requests.filter((request) => agentHosts.has(request.host));
      (await eachSettled(real, (request) => agents.createVm(request))).forEach((result, index) => created.set(real[index]!, result));
      return requests.map((request) => created.get(request)!);
    },
    async setPowerStates(changes) {
      const simulated = changes.filter((change) => !agents.isAgentVm(change.vmId));
      const outcomes = new Map<(typeof changes)[number], Error | null>();
      (await simulator.setPowerStates(simulated)).forEach((result, index) => outcomes.set(simulated[index]!, result));
      const real = changes.filter((change) => agents.isAgentVm(change.vmId));
      (await eachSettled(real, (change) => agents.setPowerState(change.vmId, change.state, change.mode))).forEach((result, index) =>
        outcomes.set(real[index]!, result instanceof Error ? result : null),
      );
      return changes.map((change) => outcomes.get(change)!);
    },
    listVms: async () => [...(await simulator.listVms()), ...(await agents.listVms())],
    createVm: async (request) => ((await agents.hasHost(request.host)) ? agents.createVm(request) : simulator.createVm(request)),
    setPowerState: (vmId, state, mode) => forVm(vmId).setPowerState(vmId, state, mode),
    reconfigureVm: (vmId, hardware) => forVm(vmId).reconfigureVm(vmId, hardware),
    async migrateVm(vmId, targetHost) {
      if (agents.isAgentVm(vmId)) return agents.migrateVm(vmId, targetHost);
      if (await agents.hasHost(targetHost)) refuse(`host ${targetHost} runs the Skylight agent, and a simulated VM cannot move onto a real host`);
      return simulator.migrateVm(vmId, targetHost);
    },
    async relocateVmStorage(vmId, datastore) {
      if (agents.isAgentVm(vmId)) return agents.relocateVmStorage(vmId, datastore);
      if (await agents.hasDatastore(datastore)) refuse(`datastore ${datastore} belongs to hosts running the Skylight agent, and a simulated VM's disks cannot move onto it`);
      return simulator.relocateVmStorage(vmId, datastore);
    },
    publishVm: (vmId, request) => (agents.isAgentVm(vmId) ? refuse("Clone to Template of a VM on a host running the Skylight agent is not available yet") : simulator.publishVm(vmId, request)),
    findTemplate: (id) => simulator.findTemplate(id),
    deleteTemplate: (id) => simulator.deleteTemplate(id),
    renameVm: (vmId, ownerKey) => forVm(vmId).renameVm(vmId, ownerKey),
    async restartVmOnHost(vmId, targetHost) {
      if (agents.isAgentVm(vmId)) return agents.restartVmOnHost(vmId, targetHost);
      if (await agents.hasHost(targetHost)) refuse(`host ${targetHost} runs the Skylight agent, and a simulated VM cannot restart on a real host`);
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
    failHost: async (name) => ((await agents.hasHost(name)) ? refuse(`Host ${name} runs the Skylight agent: stop its agent to see it fail, rather than inject a failure`) : simulator.failHost(name)),
    recoverHost: async (name) => ((await agents.hasHost(name)) ? refuse(`Host ${name} runs the Skylight agent: start its agent again to recover it`) : simulator.recoverHost(name)),

    findDatastore: async (name) => (await agents.findDatastore(name)) ?? simulator.findDatastore(name),
    addDatastore: (request) => simulator.addDatastore(request),
    browseDatastore: async (name) => (await agents.browseDatastore(name)) ?? simulator.browseDatastore(name),

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
