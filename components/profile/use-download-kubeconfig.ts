"use client";
// Creates a token through the server action and saves the kubeconfig it comes in as a file.
import { useAction } from "next-safe-action/hooks";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { downloadKubeconfig } from "@/lib/actions/kube/download-kubeconfig";

export function useDownloadKubeconfig() {
  const router = useRouter();
  return useAction(downloadKubeconfig, {
    onSuccess({ data }) {
      if (!data) return;
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([data.kubeconfig], { type: "application/yaml" }));
      link.download = data.fileName;
      link.click();
      URL.revokeObjectURL(link.href);
      toast.success(`Saved ${data.fileName}`, { description: `Use it with: KUBECONFIG=${data.fileName} kubectl get vm -A` });
      router.refresh();
    },
    onError({ error }) {
      toast.error(error.serverError?.message ?? "The kubeconfig could not be created.");
    },
  });
}
