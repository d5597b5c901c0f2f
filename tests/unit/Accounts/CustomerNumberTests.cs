using ChaosModular.Accounts.Data;
using ChaosModular.Accounts.Domain;
using ChaosModular.Accounts.Features.Registration;

namespace ChaosModular.UnitTests.Accounts;

public sealed class CustomerNumberTests(SqlitePortalFactory factory) : IClassFixture<SqlitePortalFactory>
{
    [Fact]
    public void Numbers_are_nine_digits_with_a_valid_check_digit()
    {
        var random = new Random(42);
        for (var i = 0; i < 1000; i++)
        {
            var number = CustomerNumber.Generate(random);
            Assert.Matches("^[1-9][0-9]{8}$", number);
            Assert.True(CustomerNumber.IsValid(number), number);
        }
    }

    [Theory]
    [InlineData("79927398713", false)] // right check digit, wrong length
    [InlineData("123456782", true)]
    [InlineData("123456783", false)] // one digit mistyped
    [InlineData("213456782", false)] // two digits swapped
    [InlineData("023456782", false)]
    [InlineData("12345678a", false)]
    [InlineData(null, false)]
    public void The_check_digit_catches_typing_mistakes(string? number, bool valid) =>
        Assert.Equal(valid, CustomerNumber.IsValid(number));

    [Fact]
    public async Task Registration_draws_again_when_the_number_is_taken()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var register = scope.ServiceProvider.GetRequiredService<RegisterCustomer>();
        var first = await Register(register, new Random(7));
        var second = await Register(register, new Random(7));   // same seed: draws the first user's number first

        Assert.True(first.Succeeded && second.Succeeded);
        Assert.NotEqual(first.User!.CustomerNumber, second.User!.CustomerNumber);
        Assert.Equal(CustomerNumber.Generate(new Random(7)), first.User.CustomerNumber);
    }

    [Fact]
    public async Task The_database_refuses_a_duplicate_customer_number()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var register = scope.ServiceProvider.GetRequiredService<RegisterCustomer>();
        var existing = (await Register(register, Random.Shared)).User!;
        var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        db.Users.Add(new PortalUser
        {
            UserName = "dup@example.test", NormalizedUserName = "DUP@EXAMPLE.TEST", Email = "dup@example.test",
            Name = "Dup", Country = "DE", CustomerNumber = existing.CustomerNumber,
        });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    private static Task<RegisterCustomer.Result> Register(RegisterCustomer register, Random random)
    {
        register.Random = random;
        return register.HandleAsync(new RegisterCustomer.Command("Number Test", $"n-{Guid.NewGuid():N}@example.test", "Numbers2026x", "DE"), CancellationToken.None);
    }
}
