using ChaosModular.Licensing.Domain;

namespace ChaosModular.UnitTests.Licensing;

public sealed class LicenseKeyFormatTests
{
    [Fact]
    public void A_new_key_is_five_groups_of_five_without_look_alikes_and_well_formed()
    {
        var key = LicenseKeyFormat.New();

        Assert.Matches("^[A-HJ-NP-Z2-9]{5}(-[A-HJ-NP-Z2-9]{5}){4}$", key);
        Assert.True(LicenseKeyFormat.IsWellFormed(key));
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
