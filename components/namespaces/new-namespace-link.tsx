// The "New Namespace" button: to the self-service form, where a template lets the user create one.
import { Plus } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";

export function NewNamespaceLink() {
  return (
    <Button asChild size="sm">
      <Link href="/namespaces/new">
        <Plus aria-hidden /> New Namespace
      </Link>
    </Button>
  );
}
