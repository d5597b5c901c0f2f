using System.Security.Cryptography;

namespace ChaosModular.Subscriptions.Domain;

/// <summary>Licence keys for product versions that still use them.</summary>
internal static class LicenseKeys
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>Five groups of five characters without look-alikes (0/O, 1/I), e.g. <c>K7QXM-…</c>.</summary>
    public static string New() =>
        string.Join('-', Enumerable.Range(0, 5).Select(_ => new string(Enumerable.Range(0, 5).Select(_ => Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]).ToArray())));
}
