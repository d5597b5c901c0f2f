using System.Buffers.Binary;
using ChaosModular.Accounts;
using ChaosModular.Accounts.Data;
using ChaosModular.Accounts.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace ChaosModular.UnitTests.Accounts;

/// <summary>The test hosts hash passwords cheaply; every other environment keeps Identity's full cost.</summary>
public sealed class PasswordHashCostTests(SqlitePortalFactory factory) : IClassFixture<SqlitePortalFactory>
{
    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData("Development")]
    [InlineData("Benchmark")]
    public void Outside_Testing_passwords_get_identitys_100000_iterations(string environment)
    {
        var options = new PasswordHasherOptions();

        new PasswordHashCost(new HostingEnvironment { EnvironmentName = environment }).Configure(options);

        Assert.Equal(100_000, options.IterationCount);
    }

    [Fact]
    public async Task A_test_host_stores_1000_iteration_hashes_and_still_accepts_full_cost_ones()
    {
        Assert.Equal(PasswordHashCost.TestingIterations, factory.Services.GetRequiredService<IOptions<PasswordHasherOptions>>().Value.IterationCount);
        var email = $"hash-{Guid.NewGuid():N}@example.test";
        var client = new PortalClient(factory.CreatePortalClient());
        await client.SignUpAsync("Hash Cost", email, "HashCost2026xx");

        await using var scope = factory.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().Users.SingleAsync(u => u.Email == email);
        Assert.Equal(1_000, IterationsOf(user.PasswordHash!));

        // A hash made at full cost (a production database restored into a test) verifies the same.
        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<PortalUser>>();
        var fullCost = new PasswordHasher<PortalUser>().HashPassword(user, "FullCost2026xx");
        Assert.Equal(100_000, IterationsOf(fullCost));
        Assert.NotEqual(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(user, fullCost, "FullCost2026xx"));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(user, fullCost, "FullCost2026xy"));
    }

    /// <summary>Identity's v3 format: 0x01, the PRF (4 bytes), the iteration count (4 bytes, big-endian), ...</summary>
    private static int IterationsOf(string hash)
    {
        var bytes = Convert.FromBase64String(hash);
        Assert.Equal(0x01, bytes[0]);
        return (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5, 4));
    }
}
