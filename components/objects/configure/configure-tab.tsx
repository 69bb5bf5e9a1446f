"use client";
// The Configure tab: the object's settings in sections chosen from a left sub-navigation, as
// in the vSphere Client; which sections exist depends on the kind. The section is in the URL
// (`?section=ha`).
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { DrsRulesSection } from "@/components/objects/configure/drs-rules-section";
import { DrsSettingsSection } from "@/components/objects/configure/drs-settings";
import { HaSettingsSection } from "@/components/objects/configure/ha-settings";
import {
  GeneralSection,
  HostHardwareSection,
  HostMaintenanceSection,
  HostNetworkingSection,
  NamespaceClusterSection,
  NamespaceLimitsSection,
  VmHardwareSection,
} from "@/components/objects/configure/read-only-sections";
import { VmClassSettingsSection } from "@/components/objects/configure/vm-class-settings";
import { VmOverridesSection } from "@/components/objects/configure/vm-overrides-section";
import { SubNavigation, useSearchParamNavigation, type SubNavGroup } from "@/components/objects/sub-navigation";
import type { ObjectView } from "@/lib/inventory/object-view";
import type { VmClassOption } from "@/lib/inventory/vm-classes";
import { objectViewQuery } from "@/lib/queries/object-queries";

interface Section {
  id: string;
  label: string;
  render: (object: ObjectView) => ReactNode;
  /** The sub-navigation group, when it is not the kind's first. */
  group?: string;
}

function sectionsFor(kind: string, canEdit: boolean, vmClasses: VmClassOption[]): { group: string; sections: Section[] } {
  switch (kind) {
    case "Cluster":
      return {
        group: "Services",
        sections: [
          { id: "drs", label: "vSphere DRS", render: (object) => <DrsSettingsSection key={object.uid} object={object} canEdit={canEdit} /> },
          { id: "ha", label: "vSphere Availability", render: (object) => <HaSettingsSection key={object.uid} object={object} canEdit={canEdit} /> },
          { id: "rules", label: "VM/Host Rules", group: "Configuration", render: (object) => <DrsRulesSection key={object.uid} object={object} canEdit={canEdit} /> },
          { id: "overrides", label: "VM Overrides", group: "Configuration", render: (object) => <VmOverridesSection key={object.uid} object={object} canEdit={canEdit} /> },
        ],
      };
    case "VirtualMachine":
      return {
        group: "Settings",
        sections: [
          { id: "hardware", label: "VM Hardware", render: (object) => <VmHardwareSection object={object} /> },
          { id: "class", label: "VM Class", render: (object) => <VmClassSettingsSection key={object.uid} object={object} classes={vmClasses} canEdit={canEdit} /> },
        ],
      };
    case "Host":
      return {
        group: "System",
        sections: [
          { id: "hardware", label: "Hardware", render: (object) => <HostHardwareSection object={object} /> },
          { id: "networking", label: "Networking", render: (object) => <HostNetworkingSection object={object} /> },
          { id: "maintenance", label: "Maintenance Mode", render: (object) => <HostMaintenanceSection object={object} /> },
        ],
      };
    case "Namespace":
      return {
        group: "Settings",
        sections: [
          { id: "limits", label: "Limits", render: (object) => <NamespaceLimitsSection object={object} /> },
          { id: "cluster", label: "Cluster", render: (object) => <NamespaceClusterSection object={object} /> },
        ],
      };
    default:
      return { group: "Settings", sections: [{ id: "general", label: "General", render: (object) => <GeneralSection object={object} /> }] };
  }
}

export function ConfigureTab({ uid, canEdit, vmClasses = [] }: { uid: string; canEdit: boolean; vmClasses?: VmClassOption[] }) {
  const { searchParams } = useSearchParamNavigation();
  const { data: object } = useQuery(objectViewQuery(uid));
  if (!object) return null;
  const { group, sections } = sectionsFor(object.kind, canEdit, vmClasses);
  const section = sections.find((candidate) => candidate.id === searchParams.get("section")) ?? sections[0]!;
  const groups: SubNavGroup[] = [...new Set(sections.map((candidate) => candidate.group ?? group))].map((title) => ({
    title,
    items: sections.filter((candidate) => (candidate.group ?? group) === title).map(({ id, label }) => ({ id, label })),
  }));
  return (
    <div className="flex gap-6 p-6">
      <SubNavigation label="Configure" param="section" current={section.id} groups={groups} />
      <div className="min-w-0 flex-1">{section.render(object)}</div>
    </div>
  );
}
