// Form state shared by the Add and Rotate dialogs: the values, which fields were
// left once (their errors show from then on), the backend's field errors, the GCP
// key file loader and the one submit path. Validation is validation.ts's; each
// dialog says which fields it shows and what saving means. Secrets live only in
// `form`; `reset()` forgets them, and so does closing the dialog.
import { onDestroy, tick } from "svelte";
import { toApiError, type ApiError } from "./api";
import {
  describeFileTooLarge,
  emptyForm,
  firstInvalid,
  formFieldOf,
  MAX_KEY_FILE_BYTES,
  validateForm,
  type FieldName,
  type FormErrors,
  type FormState,
} from "./validation";

const BACKEND_FORM_CODES: ReadonlySet<string> = new Set(["validation", "name_taken"]);

export type CredentialFormOptions = {
  /** The fields the dialog shows for the form's provider, in tab order. */
  fields: (form: FormState) => readonly FieldName[];
  /** Names already in use (normalised), for the name check. */
  taken: () => ReadonlySet<string>;
  /** Sends the form to the backend; rejects with an ApiError. */
  save: (form: FormState) => Promise<unknown>;
  /** Runs once saved (the dialog closes). */
  done: () => void;
};

/** Focuses a control of the form once the error under it has rendered. */
async function focusField(formEl: HTMLFormElement, field: FieldName): Promise<void> {
  await tick();
  formEl.querySelector<HTMLElement>(`[name="${field}"]`)?.focus();
}

export class CredentialForm {
  form = $state<FormState>(emptyForm());
  touched = $state<Partial<Record<FieldName, true>>>({});
  submitted = $state(false);
  serverErrors = $state<FormErrors>({});
  /** A backend validation error that belongs to no shown field. */
  formError = $state<string | null>(null);
  busy = $state(false);
  /** Name of the key file loaded into service_account_json, for the help line. */
  loadedFile = $state<string | null>(null);

  #opts: CredentialFormOptions;

  localErrors = $derived.by(() =>
    validateForm(this.form, this.#opts.taken(), this.#opts.fields(this.form)),
  );

  /** Construct while a dialog initialises: its values are forgotten when it unmounts. */
  constructor(opts: CredentialFormOptions) {
    this.#opts = opts;
    onDestroy(() => this.reset());
  }

  /** The message under a field: the backend's, else the local one once left or submitted. */
  errorFor(field: FieldName): string | undefined {
    return (
      this.serverErrors[field] ??
      (this.touched[field] || this.submitted ? this.localErrors[field] : undefined)
    );
  }

  /** Forgets every value (secrets included) and every error. */
  reset(initial: FormState = emptyForm()): void {
    this.form = initial;
    this.touched = {};
    this.serverErrors = {};
    this.submitted = false;
    this.formError = null;
    this.loadedFile = null;
  }

  /** Sets values the admin has not typed into yet (e.g. prefill that arrives late). */
  prefill(values: Partial<FormState>): void {
    for (const [key, value] of Object.entries(values) as [FieldName, string][]) {
      if (key in this.form && !this.touched[key] && (this.form as Record<string, unknown>)[key] === "")
        (this.form as Record<string, unknown>)[key] = value;
    }
  }

  #fieldOf(target: EventTarget | null): FieldName | null {
    const name = target instanceof HTMLElement ? target.getAttribute("name") : null;
    return name ? formFieldOf(name, this.form.provider) : null;
  }

  #clearServerError(field: FieldName): void {
    if (this.serverErrors[field] === undefined) return;
    const { [field]: _, ...rest } = this.serverErrors;
    this.serverErrors = rest;
  }

  /** The form's `oninput`: typing clears that field's backend error. */
  onInput = (e: Event): void => {
    const f = this.#fieldOf(e.target);
    if (f) this.#clearServerError(f);
    this.formError = null;
  };

  /** The form's `onfocusout`: a field left once shows its errors from then on. */
  onFocusOut = (e: FocusEvent): void => {
    const f = this.#fieldOf(e.target);
    if (f && !this.touched[f]) this.touched = { ...this.touched, [f]: true };
  };

  /** The provider select's `onchange`: the old provider's backend errors no longer apply. */
  onProviderChange = (): void => {
    this.serverErrors = {};
    this.formError = null;
  };

  /**
   * The form's `onsubmit`: checks every field and focuses the first wrong one, else saves.
   * Saved, the form forgets its values and the dialog is done; a rejection is shown where
   * it belongs.
   */
  onSubmit = async (e: SubmitEvent & { currentTarget: HTMLFormElement }): Promise<void> => {
    e.preventDefault();
    const formEl = e.currentTarget;
    if (this.busy) return;
    this.submitted = true;
    const invalid = firstInvalid(this.form, this.localErrors, this.#opts.fields(this.form));
    if (invalid) return focusField(formEl, invalid);
    this.busy = true;
    this.formError = null;
    try {
      await this.#opts.save(this.form);
      this.reset();
      this.#opts.done();
    } catch (err) {
      const field = this.#showError(toApiError(err));
      if (field) await focusField(formEl, field);
    } finally {
      this.busy = false;
    }
  };

  /**
   * Shows a backend error where it belongs: under its field, or at the top of the form (a
   * keychain or storage problem included), inside the dialog the admin is looking at — a
   * toast would sit over the dialog's buttons. Returns the field to focus, if any.
   */
  #showError(err: ApiError): FieldName | null {
    const field = BACKEND_FORM_CODES.has(err.code) ? formFieldOf(err.field, this.form.provider) : null;
    if (field && this.#opts.fields(this.form).includes(field)) {
      this.serverErrors = { ...this.serverErrors, [field]: err.message };
      return field;
    }
    this.formError = err.message;
    return null;
  }

  /** Reads a chosen service account key file into the form (size-capped, never echoed). */
  loadKeyFile(file: File): void {
    if (file.size > MAX_KEY_FILE_BYTES) {
      this.serverErrors = { ...this.serverErrors, service_account_json: describeFileTooLarge(file.size) };
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      this.form.service_account_json = typeof reader.result === "string" ? reader.result : "";
      this.touched = { ...this.touched, service_account_json: true };
      this.#clearServerError("service_account_json");
      this.loadedFile = file.name;
    };
    reader.onerror = () => {
      this.serverErrors = {
        ...this.serverErrors,
        service_account_json:
          "Could not read that file; check that it is readable, or paste its contents.",
      };
    };
    reader.readAsText(file);
  }
}
