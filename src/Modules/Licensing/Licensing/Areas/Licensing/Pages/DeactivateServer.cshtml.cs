namespace ChaosModular.Licensing.Areas.Licensing.Pages;

/// <summary>Deactivate a license server: a confirm step showing the seats that become free, then the deactivation.</summary>
internal sealed class DeactivateServerModel(DeactivateServer deactivate, ICurrentCustomer customer) : PageModel
{
    public DeactivateServer.Confirmation Server { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await deactivate.ConfirmAsync(customer.Id, id, cancellationToken) is not { } server)
        {
            return NotFound();
        }
        Server = server;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        var result = await deactivate.HandleAsync(customer.Id, id, cancellationToken);
        switch (result.Outcome)
        {
            case DeactivateServer.Outcome.NotFound:
                return NotFound();
            case DeactivateServer.Outcome.AlreadyDeactivated:
                TempData["Flash"] = $"{result.ServerName} was already deactivated.";
                break;
            default:
                TempData["Flash"] = $"{result.ServerName} is deactivated: its {result.SeatsFreed} seat(s) are free for your other license servers.";
                break;
        }
        return RedirectToPage("/Servers");
    }
}
