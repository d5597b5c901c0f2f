using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChaosModular.Accounts;

/// <summary>
/// Passwords are hashed with Identity's PBKDF2 cost (100,000 iterations) everywhere except the Testing environment, where
/// the test hosts sign up and in hundreds of accounts and pay that cost each time: there it is 1,000. Not a setting, so
/// no configuration can lower it in production. A hash records its own iteration count, so hashes made at either cost
/// are verified alike.
/// </summary>
internal sealed class PasswordHashCost(IHostEnvironment environment) : IConfigureOptions<PasswordHasherOptions>
{
    public const string TestingEnvironment = "Testing";
    public const int TestingIterations = 1_000;

    public void Configure(PasswordHasherOptions options)
    {
        if (environment.IsEnvironment(TestingEnvironment))
        {
            options.IterationCount = TestingIterations;
        }
    }
}
