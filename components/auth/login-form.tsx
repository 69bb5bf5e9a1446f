"use client";
// The sign-in form: username and password, one clear message when they do not match. It posts to
// its server action even before (or without) JavaScript, so a password never lands in a URL; with
// JavaScript the fields are checked first and the action runs without a page load.
import { zodResolver } from "@hookform/resolvers/zod";
import { startTransition, useActionState, useEffect, useRef } from "react";
import { useForm } from "react-hook-form";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { signIn } from "@/lib/actions/auth/sign-in";
import { signInInputSchema, type SignInInput } from "@/lib/actions/auth/sign-in-schema";

export function LoginForm({ next }: { next?: string }) {
  const [state, formAction, isPending] = useActionState(signIn, {});
  const formRef = useRef<HTMLFormElement>(null);
  const form = useForm<SignInInput>({
    resolver: zodResolver(signInInputSchema),
    defaultValues: { username: state.data?.username ?? "", password: "", next },
  });
  const { resetField } = form;
  useEffect(() => {
    if (state.data || state.serverError) resetField("password");
  }, [state, resetField]);

  const clientErrors = form.formState.errors;
  const serverFieldErrors = state.validationErrors?.fieldErrors;
  const fieldError = (field: "username" | "password") => clientErrors[field]?.message ?? serverFieldErrors?.[field]?.[0];
  const refusal = state.data?.message ?? state.serverError?.message;

  return (
    <form
      ref={formRef}
      action={formAction}
      noValidate
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        void form.handleSubmit(() => startTransition(() => formAction(new FormData(formRef.current!))))(event);
      }}
    >
      {refusal && (
        <Alert variant="destructive" role="alert">
          <AlertDescription>{refusal}</AlertDescription>
        </Alert>
      )}
      <input type="hidden" name="next" value={next ?? ""} />
      <FormField label="Username" htmlFor="username" error={fieldError("username")}>
        <Input
          id="username"
          autoComplete="username"
          autoFocus
          defaultValue={state.data?.username}
          aria-invalid={!!fieldError("username")}
          aria-describedby={fieldError("username") ? "username-error" : undefined}
          {...form.register("username")}
        />
      </FormField>
      <FormField label="Password" htmlFor="password" error={fieldError("password")}>
        <Input
          id="password"
          type="password"
          autoComplete="current-password"
          aria-invalid={!!fieldError("password")}
          aria-describedby={fieldError("password") ? "password-error" : undefined}
          {...form.register("password")}
        />
      </FormField>
      <Button type="submit" className="w-full" disabled={isPending}>
        {isPending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
