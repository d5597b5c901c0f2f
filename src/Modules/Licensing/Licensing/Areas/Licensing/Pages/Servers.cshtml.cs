using Microsoft.Extensions.Options;

namespace ChaosModular.Licensing.Areas.Licensing.Pages;

/// <summary>Licensing › License Servers: the servers the account's licenses are active on, and the seats borrowed for offline use.</summary>
internal sealed class ServersModel(ListServers list, ICurrentCustomer customer, IOptions<LicensingOptions> options) : PageModel
{
    public ListServers.Result List { get; private set; } = null!;

    public string ServerSetupUrl => options.Value.ServerSetupUrl;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        List = await list.HandleAsync(customer.Id, cancellationToken);
}
