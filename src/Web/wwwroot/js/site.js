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
