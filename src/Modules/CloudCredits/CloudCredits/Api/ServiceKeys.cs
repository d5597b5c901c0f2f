using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChaosModular.CloudCredits.Api;

/// <summary>
/// The services that may spend credits, each known by the SHA-256 of its key (<c>CloudCredits:Services</c>). A key is
/// hashed and compared with every service's hash in constant time, so neither the answer's timing nor an early exit
/// tells how close a guess was.
/// </summary>
internal sealed class ServiceKeys
{
    /// <summary>The service Development and Testing know without configuration; its key is in the README, so never elsewhere.</summary>
    public const string DevelopmentService = "rendering-dev";

    public const string DevelopmentKey = "ccs_dev_rendering_key_not_for_production";

    private readonly IReadOnlyList<(string Name, byte[] Hash)> _services;

    public ServiceKeys(IOptions<CloudCreditsOptions> options, IHostEnvironment environment)
    {
        var services = options.Value.Services.Select(s => (s.Key, Convert.FromHexString(s.Value.KeyHash))).ToList();
        if ((environment.IsDevelopment() || environment.IsEnvironment("Testing")) && services.All(s => s.Key != DevelopmentService))
        {
            services.Add((DevelopmentService, Hash(DevelopmentKey)));
        }
        _services = services;
    }

    /// <summary>The service whose key this is, or null.</summary>
    public string? Authenticate(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 512)
        {
            return null;
        }
        var hash = Hash(key);
        string? found = null;
        foreach (var (name, expected) in _services)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                found = name;
            }
        }
        return found;
    }

    /// <summary>The key sent as <c>Authorization: Bearer &lt;key&gt;</c>, or null.</summary>
    public static string? FromAuthorization(string? authorization) =>
        authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization["Bearer ".Length..].Trim()
            : null;

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
