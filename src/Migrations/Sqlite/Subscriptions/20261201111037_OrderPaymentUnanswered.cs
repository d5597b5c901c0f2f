using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.Sqlite.Subscriptions
{
    /// <inheritdoc />
    public partial class OrderPaymentUnanswered : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "NotAppliedReason",
                schema: "subscriptions",
                table: "orders",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PaymentUnansweredUtc",
                schema: "subscriptions",
                table: "orders",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "NotAppliedReason",
                schema: "subscriptions",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "PaymentUnansweredUtc",
                schema: "subscriptions",
                table: "orders");
        }
    }
}
