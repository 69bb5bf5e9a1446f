-- The VM list pages on the sort key first, then builds the cells of the 50 rows shown. Each index
-- below gives one of its orders, tie-breakers included, so a page is read in index order and stops
-- after its rows instead of sorting all 45,000 VMs (written by hand: Prisma's schema cannot express
-- expression or partial indexes).

-- Sorted by host, ascending (NULLS LAST is the default) and descending (the list keeps VMs without
-- a host last both ways, which a backward scan of the ascending index cannot give). The engine's
-- lookups of a host's VMs use the leading column as before.
DROP INDEX "resources_vm_host_idx";
CREATE INDEX "resources_vm_host_idx" ON "resources" ((status->>'host'), "name", "uid") WHERE kind = 'VirtualMachine';
CREATE INDEX "resources_vm_host_desc_idx" ON "resources" ((status->>'host') DESC NULLS LAST, "name", "uid") WHERE kind = 'VirtualMachine';

-- By name with the uid tie-breaker: page 900 is an index-only scan of 45,000 entries instead of a
-- sort of every VM, and the list's count an index-only scan.
DROP INDEX "resources_kind_name_idx";
CREATE INDEX "resources_kind_name_idx" ON "resources" ("kind", "name", "uid");
