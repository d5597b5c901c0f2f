// Copy buttons: <button data-copy-target="#input-id">.
document.addEventListener('click', async (event) => {
    const button = event.target.closest('[data-copy-target]');
    if (!button) return;
    const source = document.querySelector(button.dataset.copyTarget);
    if (!source) return;
    const text = source.value ?? source.textContent;
    try {
        await navigator.clipboard.writeText(text);
    } catch {
        source.select?.();
        document.execCommand('copy');
    }
    const label = button.textContent;
    button.textContent = 'Copied';
    button.setAttribute('aria-live', 'polite');
    setTimeout(() => { button.textContent = label; }, 1500);
});

// The pages' behaviour lives here, never inline: the Content-Security-Policy allows scripts from this site's files only.

// A submit button that sends its form once: <button data-submit-once="Paying…"> (Billing › Pay).
document.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-submit-once]');
    if (!button || !button.form || button.disabled) return;
    event.preventDefault();
    if (!button.form.reportValidity()) return;
    button.disabled = true;
    button.textContent = button.dataset.submitOnce;
    button.form.submit();
});

// A page that refreshes itself while work is under way: <span data-reload-after="3000"> (Organization › Bulk invite).
document.querySelectorAll('[data-reload-after]').forEach((element) => {
    setTimeout(() => window.location.reload(), Number(element.dataset.reloadAfter));
});

// A file input that refuses a file above data-max-bytes and shows the element data-too-large names (Licensing › Activate).
document.querySelectorAll('input[type=file][data-max-bytes]').forEach((input) => {
    const tooLarge = document.querySelector(input.dataset.tooLarge);
    input.addEventListener('change', () => {
        const file = input.files[0];
        const large = !!file && file.size > Number(input.dataset.maxBytes);
        tooLarge?.classList.toggle('d-none', !large);
        input.setCustomValidity(large ? (tooLarge?.textContent ?? 'The file is too large.') : '');
    });
});

// A drop zone for the file input data-drop-zone names (Licensing › Activate).
document.querySelectorAll('[data-drop-zone]').forEach((zone) => {
    const input = document.querySelector(zone.dataset.dropZone);
    if (!input) return;
    const highlight = (on) => zone.classList.toggle('border-primary', on);
    zone.addEventListener('dragenter', (e) => { e.preventDefault(); highlight(true); });
    zone.addEventListener('dragover', (e) => { e.preventDefault(); highlight(true); });
    zone.addEventListener('dragleave', (e) => { if (!zone.contains(e.relatedTarget)) highlight(false); });
    zone.addEventListener('drop', (e) => {
        e.preventDefault();
        highlight(false);
        const file = e.dataTransfer.files[0];
        if (!file) return;
        const one = new DataTransfer();
        one.items.add(file);
        input.files = one.files;
        input.dispatchEvent(new Event('change'));
    });
});

// A date input whose latest day follows the chosen option's data-last: <input data-max-from="#select-id"> (Licensing › Borrow).
document.querySelectorAll('input[data-max-from]').forEach((input) => {
    const select = document.querySelector(input.dataset.maxFrom);
    if (!select) return;
    const bound = () => { input.max = select.selectedOptions[0]?.dataset.last ?? ''; };
    select.addEventListener('change', bound);
    bound();
});

// Billing › Payment methods with Stripe: the card is typed into Stripe.js's own fields (Elements). Saving asks this
// site for a SetupIntent (?handler=Setup), confirms it with Stripe in the browser (the bank's check included), then
// posts only the finished setup's id. A setup that failed is kept and confirmed again with the corrected card.
document.querySelectorAll('form[data-provider-card-form]').forEach((form) => {
    const errors = form.querySelector('[data-card-errors]');
    const button = form.querySelector('[data-card-save]');
    const setupId = form.querySelector('[data-setup-id]');
    const show = (message) => { errors.textContent = message ?? ''; };
    if (typeof window.Stripe !== 'function') {
        show('The card form could not be loaded from our payment provider. Please reload the page, or try again later.');
        button.disabled = true;
        return;
    }
    const stripe = window.Stripe(form.dataset.publishableKey);
    const card = stripe.elements().create('card', { hidePostalCode: true });
    card.mount(form.querySelector('[data-card-fields]'));
    card.on('change', (event) => show(event.error?.message));
    let clientSecret = null;
    const label = button.textContent;
    const busy = (on) => { button.disabled = on; button.textContent = on ? button.dataset.savingText : label; };
    form.addEventListener('submit', async (event) => {
        if (setupId.value) return; // confirmed: this is the post of its id
        event.preventDefault();
        if (button.disabled) return;
        busy(true);
        show('');
        try {
            if (!clientSecret) {
                const answer = await fetch(form.dataset.setupUrl, {
                    method: 'POST',
                    credentials: 'same-origin',
                    headers: { RequestVerificationToken: form.querySelector('input[name=__RequestVerificationToken]').value },
                });
                if (!answer.ok) {
                    const problem = await answer.json().catch(() => null);
                    show(problem?.detail ?? 'Your card could not be saved. Please try again.');
                    busy(false);
                    return;
                }
                clientSecret = (await answer.json()).clientSecret;
            }
            const result = await stripe.confirmCardSetup(clientSecret, { payment_method: { card } });
            if (result.error) {
                show(result.error.message);
                busy(false);
                return;
            }
            setupId.value = result.setupIntent.id;
            form.submit();
        } catch {
            show('The payment service could not be reached, so your card was not saved. Please try again in a few minutes.');
            busy(false);
        }
    });
});

// A table wider than the screen scrolls inside its .table-responsive region: that region is then reachable and
// scrollable with the keyboard (tabindex) and announced with the table's name (its caption, aria-label or heading).
(() => {
    const regions = document.querySelectorAll('.table-responsive');
    if (regions.length === 0) return;
    const nameOf = (region) => {
        const table = region.querySelector('table');
        const caption = table?.caption?.textContent?.trim();
        if (caption) return caption;
        const label = table?.getAttribute('aria-label');
        if (label) return label;
        for (let element = region; element; element = element.parentElement) {
            for (let sibling = element.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
                const heading = sibling.matches('h1,h2,h3,h4') ? sibling : sibling.querySelector('h1,h2,h3,h4');
                if (heading?.textContent?.trim()) return heading.textContent.trim();
            }
        }
        return 'Table';
    };
    const update = () => regions.forEach((region) => {
        if (region.scrollWidth > region.clientWidth + 1) {
            if (!region.hasAttribute('tabindex')) {
                region.setAttribute('tabindex', '0');
                region.setAttribute('role', 'region');
                region.setAttribute('aria-label', `${nameOf(region)} (scrolls sideways)`);
            }
        } else if (region.getAttribute('role') === 'region') {
            region.removeAttribute('tabindex');
            region.removeAttribute('role');
            region.removeAttribute('aria-label');
        }
    });
    update();
    window.addEventListener('resize', update);
})();
