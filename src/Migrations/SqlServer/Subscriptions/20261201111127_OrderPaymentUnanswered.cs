using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.SqlServer.Subscriptions
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
                type: "nvarchar(max)",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PaymentUnansweredUtc",
                schema: "subscriptions",
                table: "orders",
                type: "datetime2",
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
