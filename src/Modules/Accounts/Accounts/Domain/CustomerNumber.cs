namespace ChaosModular.Accounts.Domain;

/// <summary>
/// Customer numbers are nine digits: eight random ones (the first never zero) and a Luhn check digit,
/// so a mistyped number is caught before anyone looks it up. Uniqueness is the database's unique index;
/// registration draws again on a collision.
/// </summary>
internal static class CustomerNumber
{
    public static string Generate(Random random)
    {
        var digits = new char[8];
        digits[0] = (char)('1' + random.Next(9));
        for (var i = 1; i < digits.Length; i++)
        {
            digits[i] = (char)('0' + random.Next(10));
        }
        var body = new string(digits);
        return body + CheckDigit(body);
    }

    public static bool IsValid(string? number) =>
        number is { Length: 9 } && number.All(char.IsAsciiDigit) && number[0] != '0' && CheckDigit(number[..8]) == number[8];

    private static char CheckDigit(string body)
    {
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var d = body[body.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
        }
        return (char)('0' + (10 - (sum % 10)) % 10);
    }
}
