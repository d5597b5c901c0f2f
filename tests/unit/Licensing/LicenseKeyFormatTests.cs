using ChaosModular.Licensing.Domain;
using ChaosModular.Licensing.Features;

namespace ChaosModular.UnitTests.Licensing;

public sealed class LicenseKeyFormatTests
{
    /// <summary>Characters a person reading a key aloud or copying it by hand takes for one another: 0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B.</summary>
    public static TheoryData<char, char> LookAlikes => new()
    {
        { '0', 'O' }, { 'O', 'Q' }, { '0', 'D' }, { '1', 'I' }, { '1', 'L' }, { 'I', 'L' },
    };

    [Theory]
    [MemberData(nameof(LookAlikes))]
    public void The_key_alphabet_never_holds_both_of_a_look_alike_pair(char one, char other) =>
        Assert.False(
            LicenseKeyFormat.Alphabet.Contains(one, StringComparison.Ordinal) && LicenseKeyFormat.Alphabet.Contains(other, StringComparison.Ordinal),
            $"both {one} and {other} are in {LicenseKeyFormat.Alphabet}");

    [Fact]
    public void The_key_alphabet_is_32_distinct_capitals_and_digits_without_0_1_I_and_O()
    {
        var alphabet = LicenseKeyFormat.Alphabet;

        Assert.Equal(32, alphabet.Length);
        Assert.Equal(32, alphabet.Distinct().Count());
        Assert.All(alphabet, c => Assert.True(c is >= 'A' and <= 'Z' or >= '2' and <= '9', $"'{c}' is not a capital or a digit 2-9"));
        Assert.Equal("", string.Concat("01IO".Where(c => alphabet.Contains(c, StringComparison.Ordinal))));
    }

    [Fact]
    public void New_keys_are_five_groups_of_five_and_use_every_symbol_of_the_alphabet_and_nothing_else()
    {
        var keys = Enumerable.Range(0, 2_000).Select(_ => LicenseKeyFormat.New()).ToList();

        Assert.All(keys, key => Assert.Matches("^[^-]{5}(-[^-]{5}){4}$", key));
        var used = keys.SelectMany(key => key.Replace("-", "", StringComparison.Ordinal)).Distinct().Order().ToArray();
        Assert.Equal(LicenseKeyFormat.Alphabet.Order().ToArray(), used);
    }

    [Fact]
    public void Activation_codes_are_four_groups_of_four_from_32_symbols_without_0_1_I_and_O()
    {
        var codes = Enumerable.Range(0, 2_000).Select(_ => ActivationCodeText.New()).ToList();

        Assert.All(codes, code => Assert.Matches("^[^-]{4}(-[^-]{4}){3}$", code));
        var used = codes.SelectMany(code => code.Replace("-", "", StringComparison.Ordinal)).Distinct().ToList();
        Assert.Equal(32, used.Count);
        Assert.All(used, c => Assert.True(c is >= 'A' and <= 'Z' or >= '2' and <= '9', $"'{c}' is not a capital or a digit 2-9"));
        Assert.Equal("", string.Concat("01IO".Where(used.Contains)));
    }

    [Fact]
    public void Any_single_changed_character_fails_the_check()
    {
        for (var n = 0; n < 20; n++)
        {
            var key = LicenseKeyFormat.New();
            for (var i = 0; i < key.Length; i++)
            {
                if (key[i] == '-')
                {
                    continue;
                }
                foreach (var other in LicenseKeyFormat.Alphabet.Where(c => c != key[i]))
                {
                    var changed = key[..i] + other + key[(i + 1)..];
                    Assert.False(LicenseKeyFormat.IsWellFormed(changed), $"{key} → {changed}");
                }
            }
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("AAAAA-AAAAA-AAAAA-AAAAA")]
    [InlineData("AAAAA-AAAAA-AAAAA-AAAAA-AAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAA-AAAAA-AAAAA-AAAAA-AAAA0")]
    [InlineData("aaaaa-aaaaa-aaaaa-aaaaa-aaaaa")]
    public void Malformed_keys_are_not_well_formed(string? key) =>
        Assert.False(LicenseKeyFormat.IsWellFormed(key));

    [Fact]
    public void The_check_character_is_the_odd_weighted_sum_modulo_32()
    {
        // 24 × 'A' (index 0) sums to 0: the check character is 'A'. One 'B' (index 1) in the second place (weight 3) makes it 'D'.
        Assert.True(LicenseKeyFormat.IsWellFormed("AAAAA-AAAAA-AAAAA-AAAAA-AAAAA"));
        Assert.True(LicenseKeyFormat.IsWellFormed("ABAAA-AAAAA-AAAAA-AAAAA-AAAAD"));
    }

    [Fact]
    public void Many_new_keys_are_all_different()
    {
        var keys = Enumerable.Range(0, 20_000).Select(_ => LicenseKeyFormat.New()).ToList();

        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.All(keys.Take(100), k => Assert.True(LicenseKeyFormat.IsWellFormed(k)));
    }
}
