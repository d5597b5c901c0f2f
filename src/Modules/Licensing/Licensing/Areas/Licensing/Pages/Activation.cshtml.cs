namespace ChaosModular.Licensing.Areas.Licensing.Pages;

/// <summary>One activation by request file: the server, the seats granted, until when, and the response to download.</summary>
internal sealed class ActivationModel(ShowFileActivation show, ICurrentCustomer customer) : PageModel
{
    public ShowFileActivation.Result Shown { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await show.HandleAsync(customer.Id, id, cancellationToken) is not { } shown)
        {
            return NotFound();
        }
        Shown = shown;
        return Page();
    }
}
