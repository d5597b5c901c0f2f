using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.Sqlite.Subscriptions
{
    /// <inheritdoc />
    public partial class RenewalClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ClaimId",
                schema: "subscriptions",
                table: "orders",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ClaimedUntilUtc",
                schema: "subscriptions",
                table: "orders",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ClaimId",
                schema: "subscriptions",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "ClaimedUntilUtc",
                schema: "subscriptions",
                table: "orders");
        }
    }
}
