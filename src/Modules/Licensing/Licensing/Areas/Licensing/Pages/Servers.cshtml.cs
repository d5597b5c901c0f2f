using Microsoft.Extensions.Options;

namespace ChaosModular.Licensing.Areas.Licensing.Pages;

/// <summary>Licensing › License Servers: the servers the account's licenses are active on, and the seats borrowed for offline use.</summary>
internal sealed class ServersModel(ListServers list, CreateActivationCode createCode, ICurrentCustomer customer, IOptions<LicensingOptions> options) : PageModel
{
    public ListServers.Result List { get; private set; } = null!;

    public string ServerSetupUrl => options.Value.ServerSetupUrl;

    public int CodeHours => options.Value.Api.ActivationCodeHours;

    /// <summary>A code just made: shown on this answer only (not stored in a cookie, not redirected to).</summary>
    public (string Code, DateTime ExpiresUtc)? NewCode { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        List = await list.HandleAsync(customer.Id, cancellationToken);

    public async Task OnPostActivationCodeAsync(CancellationToken cancellationToken)
    {
        NewCode = await createCode.HandleAsync(customer.Id, cancellationToken);
        List = await list.HandleAsync(customer.Id, cancellationToken);
    }
}
