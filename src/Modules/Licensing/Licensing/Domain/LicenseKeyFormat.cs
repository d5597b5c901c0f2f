using System.Security.Cryptography;

namespace ChaosModular.Licensing.Domain;

/// <summary>
/// Licence keys: five groups of five characters (e.g. <c>K7QXM-…</c>) from a 32-character alphabet without look-alikes
/// (no 0/O, 1/I). The last character is a check character over the other 24: the sum of each character's index in the
/// alphabet times an odd weight (1, 3, 5, … 47 by position), modulo 32, taken as an index into the alphabet. Odd weights
/// have an inverse modulo 32, so any single changed character always fails the check; swapping two neighbours fails
/// it unless their indices differ by 16.
/// </summary>
internal static class LicenseKeyFormat
{
    public const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private const int Groups = 5;
    private const int GroupLength = 5;
    private const int Characters = Groups * GroupLength;

    /// <summary>A new random key with its check character.</summary>
    public static string New()
    {
        var body = new char[Characters - 1];
        for (var i = 0; i < body.Length; i++)
        {
            body[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
        return Format([.. body, CheckCharacter(body)]);
    }

    /// <summary>True when the key has five dash-separated groups of five characters from the alphabet and its check character is right.</summary>
    public static bool IsWellFormed(string? key)
    {
        if (key is null || key.Length != Characters + Groups - 1)
        {
            return false;
        }
        var characters = new List<char>(Characters);
        for (var i = 0; i < key.Length; i++)
        {
            if ((i + 1) % (GroupLength + 1) == 0)
            {
                if (key[i] != '-')
                {
                    return false;
                }
            }
            else if (Alphabet.Contains(key[i], StringComparison.Ordinal))
            {
                characters.Add(key[i]);
            }
            else
            {
                return false;
            }
        }
        return CheckCharacter(characters.Take(Characters - 1).ToArray()) == characters[^1];
    }

    private static char CheckCharacter(IReadOnlyList<char> body)
    {
        var sum = 0;
        for (var i = 0; i < body.Count; i++)
        {
            sum += (2 * i + 1) * Alphabet.IndexOf(body[i], StringComparison.Ordinal);
        }
        return Alphabet[sum % Alphabet.Length];
    }

    private static string Format(char[] characters) =>
        string.Join('-', characters.Chunk(GroupLength).Select(g => new string(g)));
}
