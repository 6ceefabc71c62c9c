// GOV.UK Frontend's components (error summary focus, service navigation menu,
// details, checkboxes): they enhance pages that already work without JavaScript.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
