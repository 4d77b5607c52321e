/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */

/**
 * A form as a page shows it again after a refusal: where it was posted, what was typed, and each
 * field's problem. A page shows it in the form posted to `action`; its other forms start afresh.
 */
export interface FormState {
  action: string;
  values: Record<string, unknown>;
  errors: Record<string, string>;
}

const samePath = (a: string, b: string) => a.replace(/\/$/, '') === b.replace(/\/$/, '');

/** The state of the form that posts to `action`: the refused one if that was it, else a fresh one. */
export const stateFor = (refused: FormState | undefined, action: string): FormState =>
  refused && samePath(refused.action, action) ? refused : { action, values: {}, errors: {} };

/** Whether the form comes back refused (then a checkbox left out was unticked). */
export const posted = (form: FormState) => Object.keys(form.values).length > 0;

/** What was typed into a field, else the value it starts with. */
export function typed(form: FormState, name: string, start = ''): string {
  const v = form.values[name];
  return typeof v === 'string' ? v : start;
}

/** The values ticked of a group of checkboxes, else those it starts with. */
export function ticked(form: FormState, name: string, start: readonly string[]): readonly string[] {
  if (!posted(form)) return start;
  const v = form.values[name];
  return v === undefined ? [] : [v].flat().map(String);
}

/** What an input needs to say it is wrong and where the reason is. */
export const invalid = (form: FormState, name: string, id: string) =>
  form.errors[name] === undefined ? {} : { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` };

/** A field's problem, beside it. */
export const FieldError = ({ form, name, id }: { form: FormState; name: string; id: string }) =>
  form.errors[name] === undefined ? null : (
    <p class="field-error" id={`${id}-error`}>
      {form.errors[name]}
    </p>
  );

type Attributes = Record<string, string | number | boolean | undefined>;

/** A labelled input that keeps what was typed and says why it was refused; `start` is its stored value. */
export function Field({
  form,
  name,
  id,
  label,
  start,
  hint,
  attributes = {},
}: {
  form: FormState;
  name: string;
  id: string;
  label: string;
  start?: string;
  hint?: string;
  attributes?: Attributes;
}) {
  return (
    <div class={form.errors[name] === undefined ? 'field' : 'field invalid'}>
      <label for={id}>{label}</label>
      <input
        type="text"
        {...attributes}
        id={id}
        name={name}
        value={typed(form, name, start)}
        {...invalid(form, name, id)}
      />
      {hint ? <p class="hint">{hint}</p> : null}
      <FieldError form={form} name={name} id={id} />
    </div>
  );
}

/** A labelled text area that keeps what was typed and says why it was refused. */
export function TextAreaField({
  form,
  name,
  id,
  label,
  start,
  attributes = {},
}: {
  form: FormState;
  name: string;
  id: string;
  label: string;
  start?: string;
  attributes?: Attributes;
}) {
  return (
    <div class={form.errors[name] === undefined ? 'field wide' : 'field wide invalid'}>
      <label for={id}>{label}</label>
      <textarea {...attributes} id={id} name={name} {...invalid(form, name, id)}>
        {typed(form, name, start)}
      </textarea>
      <FieldError form={form} name={name} id={id} />
    </div>
  );
}

/** A labelled choice that keeps what was chosen and says why it was refused. */
export function SelectField({
  form,
  name,
  id,
  label,
  start,
  options,
}: {
  form: FormState;
  name: string;
  id: string;
  label: string;
  start: string;
  options: readonly { value: string; label: string }[];
}) {
  const chosen = typed(form, name, start);
  return (
    <div class={form.errors[name] === undefined ? 'field' : 'field invalid'}>
      <label for={id}>{label}</label>
      <select id={id} name={name} {...invalid(form, name, id)}>
        {options.map((o) => (
          <option value={o.value} selected={o.value === chosen}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError form={form} name={name} id={id} />
    </div>
  );
}
