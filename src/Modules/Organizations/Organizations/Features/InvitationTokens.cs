using System.Security.Cryptography;
using System.Text;

namespace ChaosModular.Organizations.Features;

/// <summary>
/// The secret in an invitation link: 32 random bytes, base64url. Only its SHA-256 (hex) is stored, so the
/// database alone cannot be turned into working links.
/// </summary>
internal static class InvitationTokens
{
    public static (string Token, string Hash) New()
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token));
    }

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
