"use client";
// Profile › Download kubeconfig: the same as the user menu's item.
import { Download } from "lucide-react";
import { useDownloadKubeconfig } from "@/components/profile/use-download-kubeconfig";
import { Button } from "@/components/ui/button";

export function DownloadKubeconfigButton() {
  const { execute, isPending } = useDownloadKubeconfig();
  return (
    <Button onClick={() => execute()} disabled={isPending}>
      <Download className="size-4" aria-hidden /> Download kubeconfig
    </Button>
  );
}
