-- A simulated VM's added hard disks and CD/DVD drives (Edit Settings › Add New Device), as
-- {"disks": [{name, capacityGiB}], "cdroms": [{name, image, connected}]}.
ALTER TABLE "sim_vms" ADD COLUMN "devices" JSONB NOT NULL DEFAULT '{"disks":[],"cdroms":[]}';
