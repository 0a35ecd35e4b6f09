// Tenant "{{tenant}}": form validation for a reporting plugin.
// Checks a TPS report and lists every problem it finds.
const TENANT = "{{tenant}}";
const REQUIRED = ["id", "author", "pages"];
let invocations = 0;

function handle(request) {
  invocations++;
  const errors = [];
  for (const field of REQUIRED) {
    if (request[field] === undefined || request[field] === null || request[field] === "") {
      errors.push(field + " is required");
    }
  }
  if (request.pages !== undefined && !(Number.isInteger(request.pages) && request.pages > 0)) {
    errors.push("pages must be a positive integer");
  }
  if (!request.coverSheet) {
    errors.push("did you get the memo? every TPS report needs a cover sheet");
  }
  return { tenant: TENANT, id: request.id ?? null, valid: errors.length === 0, errors, invocations };
}
