using Microsoft.AspNetCore.Identity;

namespace ChaosModular.Accounts.Domain;

internal sealed class PortalUser : IdentityUser
{
    public string Name { get; set; } = "";

    /// <summary>ISO 3166-1 alpha-2.</summary>
    public string Country { get; set; } = "";

    public string CustomerNumber { get; set; } = "";

    public DateTime CreatedUtc { get; set; }
}
