import type { ReactNode } from "react";
import { AdminTabs } from "@/components/admin/admin-tabs";

// Every Administration page checks its own permission; the layout only adds the section tabs.
export default function AdministrationLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <AdminTabs />
      {children}
    </>
  );
}
