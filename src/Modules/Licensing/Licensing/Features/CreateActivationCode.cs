using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ChaosModular.Licensing.Features;

/// <summary>
/// Licensing › License Servers › Create an activation code: a one-time code a customer types into a license server,
/// which trades it for its API secret at <c>POST /api/license-servers/v1/activate</c>. The code is shown once; only
/// its SHA-256 is kept. It works once and for <c>Licensing:Api:ActivationCodeHours</c>.
/// </summary>
internal sealed class CreateActivationCode(LicensingDbContext db, TimeProvider clock, IOptions<LicensingOptions> options)
{
    public async Task<(string Code, DateTime ExpiresUtc)> HandleAsync(string customerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        var lifetime = TimeSpan.FromHours(options.Value.Api.ActivationCodeHours);
        // 80 random bits make a collision with a stored code practically impossible; the unique index turns one into a retry.
        for (var attempt = 1; ; attempt++)
        {
            var code = ActivationCodeText.New();
            var row = ActivationCode.For(customerId, ActivationCodeText.Hash(code), clock.UtcNow(), lifetime);
            db.ActivationCodes.Add(row);
            if (await db.TryInsertOnceAsync(cancellationToken))
            {
                return (code, row.ExpiresUtc);
            }
            if (attempt == 3)
            {
                throw new InvalidOperationException("Could not store a new activation code.");
            }
        }
    }
}

/// <summary>How activation codes read: <c>XXXX-XXXX-XXXX-XXXX</c> from 32 symbols that cannot be mistaken for one another.</summary>
internal static class ActivationCodeText
{
    /// <summary>Digits and capitals without 0, 1, I and O (read aloud or copied by hand, none is taken for another): 5 bits a symbol.</summary>
    private const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    /// <summary>16 symbols of 5 bits: 80 random bits.</summary>
    private const int Symbols = 16;

    public static string New() => Group(RandomNumberGenerator.GetString(Alphabet, Symbols));

    /// <summary>The code as issued, from what a person typed (any case, with or without dashes and spaces); null when it cannot be one.</summary>
    public static string? Normalize(string? typed)
    {
        if (typed is null || typed.Length > 64)
        {
            return null;
        }
        var symbols = new StringBuilder(Symbols);
        foreach (var c in typed)
        {
            if (c is '-' || char.IsWhiteSpace(c))
            {
                continue;
            }
            var upper = char.ToUpperInvariant(c);
            if (!Alphabet.Contains(upper, StringComparison.Ordinal) || symbols.Length == Symbols)
            {
                return null;
            }
            symbols.Append(upper);
        }
        return symbols.Length == Symbols ? Group(symbols.ToString()) : null;
    }

    /// <summary>SHA-256 of the code as issued, lower-case hex: what <see cref="ActivationCode.CodeHash"/> keeps.</summary>
    public static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));

    private static string Group(string symbols) => $"{symbols[..4]}-{symbols[4..8]}-{symbols[8..12]}-{symbols[12..]}";
}
